import SimilarityTensors

/// Anything that owns parameters: a single layer, a ``Sequential`` stack, or a network written
/// as a user class that holds layers (a siamese model whose two inputs share one tower).
///
/// Both requirements have default implementations that walk the stored properties with
/// `Mirror`, so a user class needs no code beyond holding its layers:
///
/// ```swift
/// final class Siamese: Model {
///   let tower = Sequential.kerasSiameseTower()
///   func callAsFunction(_ a: Tensor, _ b: Tensor) -> Tensor {
///     (tower(a) - tower(b)).squared().sum(alongAxes: [1]).sqrt()
///   }
/// }
/// ```
///
/// The walk finds properties of type ``Parameter`` (named by the property), of a type that
/// conforms to `Model` (prefixed with the property name) and arrays of models (prefixed with
/// each element's layer name, or its index if it is not a ``Layer``).
public protocol Model: AnyObject {
  /// Every parameter (trainable or not) with a dotted path such as `dense_1.kernel`, in a
  /// stable order (declaration order, then layer order). Checkpoints are keyed by these paths.
  var namedParameters: [(name: String, parameter: Parameter)] { get }

  /// Whether training-only behaviour is on: ``Dropout`` drops, ``BatchNormalization`` uses
  /// and updates batch statistics. Setting it on a model sets it on every layer inside.
  /// `false` (inference) by default, as in Keras' `model(x)`.
  var isTraining: Bool { get set }
}

extension Model {
  /// The default: parameters found by walking stored properties (see ``Model``).
  public var namedParameters: [(name: String, parameter: Parameter)] {
    var result: [(name: String, parameter: Parameter)] = []
    for (label, value) in storedProperties {
      if let parameter = value as? Parameter {
        result.append((label, parameter))
      } else if let child = value as? any Model {
        result += child.namedParameters.map { ("\(label).\($0.name)", $0.parameter) }
      } else if let children = value as? [any Model] {
        for (index, child) in children.enumerated() {
          let prefix = (child as? any Layer)?.name ?? "\(label).\(index)"
          result += child.namedParameters.map { ("\(prefix).\($0.name)", $0.parameter) }
        }
      }
    }
    return result
  }

  /// The default: true if any model found in stored properties is training; setting it
  /// forwards to all of them.
  public var isTraining: Bool {
    get { childModels.contains { $0.isTraining } }
    set { for child in childModels { child.isTraining = newValue } }
  }

  /// All parameters, in ``namedParameters`` order.
  public var parameters: [Parameter] { namedParameters.map(\.parameter) }

  /// The parameters optimizers update (Keras' `trainable_weights`).
  public var trainableParameters: [Parameter] { parameters.filter(\.isTrainable) }

  /// The parameters optimizers leave alone, e.g. batch-norm moving statistics.
  public var nonTrainableParameters: [Parameter] { parameters.filter { !$0.isTrainable } }

  /// Total number of scalars in all parameters (Keras' `count_params()`).
  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

  /// Number of scalars in trainable parameters.
  public var trainableParameterCount: Int {
    trainableParameters.reduce(0) { $0 + $1.value.count }
  }

  /// The models held directly in stored properties (single or in arrays).
  var childModels: [any Model] {
    var result: [any Model] = []
    for (_, value) in storedProperties {
      if let child = value as? any Model {
        result.append(child)
      } else if let children = value as? [any Model] {
        result += children
      }
    }
    return result
  }

  /// Labelled stored properties of this object and its superclasses, base class first.
  private var storedProperties: [(String, Any)] {
    var mirrors: [Mirror] = []
    var mirror: Mirror? = Mirror(reflecting: self)
    while let current = mirror {
      mirrors.append(current)
      mirror = current.superclassMirror
    }
    return mirrors.reversed().flatMap { mirror in
      mirror.children.compactMap { child in child.label.map { ($0, child.value) } }
    }
  }
}
