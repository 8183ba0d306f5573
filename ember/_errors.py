"""torch's error messages that ember raises in more than one place, in one catalogue.

Each function returns the exception (type and text exactly as torch 2.13 words it) for the caller
to raise: ``raise _errors.not_implemented("clamp_cpu", "Bool")``.  A message used in a single
place stays next to its check, where it reads as part of the function's contract.
"""

# ---------------------------------------------------------------- dtypes and kernels


def not_implemented(kernel: object, dtype_name: object) -> NotImplementedError:
    """torch's kernel ``kernel`` has no version for the dtype."""
    return NotImplementedError('"{}" not implemented for \'{}\''.format(kernel, dtype_name))


def expected_scalar_type(expected: object, found: object) -> RuntimeError:
    return RuntimeError("expected scalar type {} but found {}".format(expected, found))


def expected_long(found: object) -> RuntimeError:
    return RuntimeError("expected scalar type Long but found {}".format(found))


def cannot_cast_result(result: object, output: object) -> RuntimeError:
    return RuntimeError("result type {} can't be cast to the desired output type {}".format(
        result, output))


def overflow_converting(type_name: object) -> RuntimeError:
    return RuntimeError("value cannot be converted to type {} without overflow".format(type_name))


def overflow_unpacking() -> ValueError:
    return ValueError("Overflow when unpacking long long")


def invalid_data_type_str() -> TypeError:
    return TypeError("new(): invalid data type 'str'")


def floating_to_require_grad() -> RuntimeError:
    return RuntimeError("Only Tensors of floating point and complex dtype can require gradients")


def must_be_tensor(fname: object, name: object, position: object,
                   type_name: object) -> TypeError:
    return TypeError("{}(): argument '{}' (position {}) must be Tensor, not {}".format(
        fname, name, position, type_name))


def input_must_be_tensor(fname: object, type_name: object) -> TypeError:
    return TypeError("{}(): argument 'input' (position 1) must be Tensor, not {}".format(
        fname, type_name))


def same_dtype_addmv(a: object, b: object, c: object) -> RuntimeError:
    return RuntimeError("addmv input tensors must have the same dtype, but got {}, {}, and {}"
                        .format(a, b, c))


def scatter_dtypes() -> RuntimeError:
    return RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")


# ---------------------------------------------------------------- shapes and sizes


def broadcast_output(output_shape: object, broadcast_shape: object) -> RuntimeError:
    return RuntimeError("output with shape {} doesn't match the broadcast shape {}".format(
        output_shape, broadcast_shape))


def size_mismatch(a: object, b: object, dim: object) -> RuntimeError:
    return RuntimeError("The size of tensor a ({}) must match the size of tensor b ({}) at "
                        "non-singleton dimension {}".format(a, b, dim))


def invalid_shape(shape: object, size: object) -> RuntimeError:
    return RuntimeError("shape '{}' is invalid for input of size {}".format(shape, size))


def negative_dimension(dim: object, shape: object) -> RuntimeError:
    return RuntimeError("Trying to create tensor with negative dimension {}: {}".format(dim, shape))


def stack_sizes(first: object, other: object, entry: object) -> RuntimeError:
    return RuntimeError("stack expects each tensor to be equal size, but got {} at entry 0 and {} "
                        "at entry {}".format(first, other, entry))


def batch_must_be_3d(name: object) -> RuntimeError:
    return RuntimeError("{} must be a 3D tensor".format(name))


def identical_diagonal_dims(dim1: object, dim2: object) -> RuntimeError:
    return RuntimeError("diagonal dimensions cannot be identical {}, {}".format(dim1, dim2))


def narrow_negative_length() -> RuntimeError:
    return RuntimeError("narrow(): length must be non-negative.")


def only_2d_tensors() -> ValueError:
    return ValueError("Only tensors with 2 dimensions are supported")


def expected_nd_input(low: object, high: object, got: object) -> ValueError:
    return ValueError("expected {}D or {}D input (got {}D input)".format(low, high, got))


def index_out_of_range_in_self() -> IndexError:
    return IndexError("index out of range in self")


def multi_target() -> RuntimeError:
    return RuntimeError("0D or 1D target tensor expected, multi-target not supported")


# ---------------------------------------------------------------- values and ranges


def one_element_to_scalar() -> ValueError:
    return ValueError("only one element tensors can be converted to Python scalars")


def ambiguous_bool(empty: bool) -> RuntimeError:
    return RuntimeError("Boolean value of Tensor with {} is ambiguous".format(
        "no values" if empty else "more than one value"))


def step_nonzero() -> RuntimeError:
    return RuntimeError("step must be nonzero")


def step_sign() -> RuntimeError:
    return RuntimeError("upper bound and lower bound inconsistent with step sign")


def dropout_probability(p: object) -> ValueError:
    return ValueError("dropout probability has to be between 0 and 1, but got {}".format(p))


def invalid_reduction(reduction: object) -> ValueError:
    return ValueError("{} is not a valid value for reduction".format(reduction))


def margin_positive(margin: object) -> ValueError:
    return ValueError("margin must be greater than 0, got {}".format(margin))


def only_p_1_or_2() -> ValueError:
    return ValueError("only p == 1 and p == 2 supported")


def negative_variance() -> ValueError:
    return ValueError("var has negative entry/entries")


def weights_and_input_sizes() -> ValueError:
    return ValueError("Weights and input must have the same size.")


def padding_same_strided(kind: type = RuntimeError) -> Exception:
    return kind("padding='same' is not supported for strided convolutions")


# ---------------------------------------------------------------- autograd


def leaf_view_inplace() -> RuntimeError:
    return RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                        "in-place operation.")


def clamp_of_complex() -> NotImplementedError:
    return NotImplementedError("clamp is not supported for complex types")


def implicit_grad_of_non_scalar(complex_dtype: object = None) -> RuntimeError:
    if complex_dtype is not None:
        return RuntimeError("grad can be implicitly created only for real scalar outputs but got "
                            + str(complex_dtype))
    return RuntimeError("grad can be implicitly created only for scalar outputs")


def vector_v_needed() -> RuntimeError:
    return RuntimeError("The vector v can only be None if the input to the user-provided function "
                        "is a single Tensor with a single element.")


# ---------------------------------------------------------------- modules, devices, data


def attribute_exists(name: object) -> KeyError:
    return KeyError("attribute '{}' already exists".format(name))


def embeddings_2d() -> AssertionError:
    return AssertionError("Embeddings parameter is expected to be 2-dimensional")


def no_cuda() -> AssertionError:
    return AssertionError("Torch not compiled with CUDA enabled")


def dataset_size_mismatch() -> ValueError:
    return ValueError("Size mismatch between datasets")


def chain_needs_iterable() -> AssertionError:
    return AssertionError("ChainDataset only supports IterableDataset")


def num_samples_positive(num_samples: object) -> ValueError:
    return ValueError("num_samples should be a positive integer value, but got num_samples={}"
                      .format(num_samples))
