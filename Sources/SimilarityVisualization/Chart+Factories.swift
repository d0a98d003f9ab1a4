import SimilarityEvaluation

extension Chart {
  /// Precision, recall and F1 (or other metrics) of a calibration against the distance
  /// threshold, with the optimal cutpoint and every reached target marked (TF Similarity's
  /// calibration plot).
  public static func calibration(
    _ calibration: Calibration,
    metrics: [ClassificationMetric] = [.precision, .recall, .f1],
    title: String = "Calibration", width: Int = 720, height: Int = 420
  ) -> Chart {
    let thresholds = calibration.thresholds.map(Double.init)
    let series = metrics.enumerated().map { index, metric in
      Series(
        metric.rawValue, x: thresholds,
        y: (calibration.curves[metric] ?? []).map(Double.init), color: ColorScale.categorical(index)
      )
    }
    let markers = ([calibration.optimal] + calibration.cutpoints).enumerated().map {
      index, cutpoint in
      Marker(
        x: Double(cutpoint.distance),
        label: "\(cutpoint.name) \(HTML.format(Double(cutpoint.distance), digits: 3))",
        color: index == 0 ? .ink : ColorScale.categorical(index + 4))
    }
    return Chart(
      title: title, xAxis: ChartAxis("distance threshold"),
      yAxis: ChartAxis("metric value", range: 0...1), series: series, markers: markers,
      width: width, height: height)
  }

  /// One line per metric of a training history against the epoch (1-based).
  public static func trainingCurves(
    _ history: TrainingHistory, title: String = "Training", yTitle: String = "value",
    width: Int = 720, height: Int = 420
  ) -> Chart {
    let series = history.metrics.map { metric in
      Series(
        metric.name, x: metric.values.indices.map { Double($0 + 1) }, y: metric.values,
        mark: metric.values.count < 30 ? .lineAndPoints : .line)
    }
    return Chart(
      title: title, xAxis: ChartAxis("epoch"), yAxis: ChartAxis(yTitle), series: series,
      width: width, height: height)
  }

  /// The recall–throughput trade-off of approximate nearest-neighbour search: one point per
  /// configuration, queries per second on a logarithmic axis, one line per method.
  public static func recallThroughput(
    _ methods: [(name: String, points: [(recall: Double, queriesPerSecond: Double)])],
    title: String = "Recall vs. queries per second", width: Int = 720, height: Int = 420
  ) -> Chart {
    let series = methods.map { method in
      Series(
        method.name,
        points: method.points.sorted { $0.recall < $1.recall }
          .map { Point(x: $0.recall, y: $0.queriesPerSecond) }, mark: .lineAndPoints)
    }
    return Chart(
      title: title, xAxis: ChartAxis("recall"),
      yAxis: ChartAxis("queries per second", scale: .logarithmic), series: series, width: width,
      height: height)
  }
}

extension BarChart {
  /// One bar per retrieval metric, in the given order, labelled with the metric's short name
  /// (`recall@1`, `recall@5`, …); values on 0…1.
  public static func retrieval(
    _ values: [(metric: RetrievalMetric, value: Float)], title: String = "Retrieval",
    width: Int = 720, height: Int = 380
  ) -> BarChart {
    BarChart(
      title: title, valueAxis: ChartAxis("value", range: 0...1),
      bars: values.map { Bar($0.metric.description, value: Double($0.value)) }, width: width,
      height: height)
  }
}
