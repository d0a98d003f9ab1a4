#pragma once
#include <cblas.h>
// OpenBLAS extensions (declared by OpenBLAS' cblas.h; repeated here so the module also
// documents what it relies on).
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_corename(void);
char *openblas_get_config(void);
