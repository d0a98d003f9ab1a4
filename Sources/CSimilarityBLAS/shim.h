#pragma once
#include <cblas.h>
// OpenBLAS extensions (declared by OpenBLAS' cblas.h; repeated here so the module also
// documents what it relies on).
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_corename(void);
char *openblas_get_config(void);
#include <stddef.h>
// LAPACK (OpenBLAS bundles it): eigenvalues and eigenvectors of a symmetric matrix,
// divide and conquer. Fortran calling convention: column-major, every argument by pointer,
// and the lengths of the character arguments appended (gfortran: size_t each).
void ssyevd_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda,
             float *w, float *work, const int *lwork, int *iwork, const int *liwork, int *info,
             size_t jobz_length, size_t uplo_length);
