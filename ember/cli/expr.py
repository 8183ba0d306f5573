"""Small formulas for ``ember graph``, such as ``relu(w*x + b)`` or ``u = w*x; a = relu(u + b)``.

The text is parsed by Python's own parser (``ast``) and then evaluated by walking the tree,
where only an allow-list of constructs is understood: numbers, names, ``+ - * / **``, unary
minus, parentheses, calls of the functions in ``FUNCTIONS``, and ``name = ...`` statements
separated by ``;`` or new lines.  Anything else -- attributes, subscripts, strings, keyword
arguments, any other function -- is refused with a message.  Nothing is ever passed to
``eval``, so a formula cannot run code.
"""
import ast
import math
import operator

import ember

FUNCTIONS = {name: getattr(ember, name) for name in
             ("relu", "sigmoid", "tanh", "exp", "log", "sqrt", "abs", "sin", "cos", "sum", "mean")}
OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
             ast.Div: operator.truediv, ast.Pow: operator.pow}
SYMBOLS = {ast.MatMult: "@", ast.Mod: "%", ast.FloorDiv: "//", ast.LShift: "<<",
           ast.RShift: ">>", ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&", ast.Not: "not",
           ast.Invert: "~"}
TOO_DEEP = "the expression is nested too deeply"
ALLOWED = "use numbers, names, + - * / **, parentheses and " + ", ".join(FUNCTIONS)


class ExpressionError(ValueError):
    """A formula or a value that cannot be used; the message is one line for the user."""


def parse_value(text):
    """``NAME=VALUE`` -> ``(name, tensor)``; VALUE is a number or numbers separated by commas."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise ExpressionError("'{}' is not NAME=VALUE (for example x=3 or x=1,2,3)".format(text))
    if name in FUNCTIONS:
        raise ExpressionError("'{}' is a function, it cannot be a variable".format(name))
    numbers = []
    for part in value.split(","):
        try:
            number = float(part)
        except ValueError:
            raise ExpressionError("{}: '{}' is not a number".format(text, part.strip())) from None
        if not math.isfinite(number):
            raise ExpressionError("{}: the value must be a finite number".format(text))
        numbers.append(number)
    return name, ember.tensor(numbers[0] if len(numbers) == 1 else numbers)


def evaluate(text, variables):
    """Evaluates the formula ``text`` with ember tensors.

    Args:
        text (str): one expression, or ``name = expression`` statements (the last one is the
            result), separated by ``;`` or new lines.
        variables (dict): ``{name: Tensor}``.

    Returns:
        ``(result, result_name, named)``: the result tensor, the name the formula gave it
        (``None`` if it gave none), and ``{name: tensor}`` for every intermediate tensor, named
        by its assignment or else by its own text (``"w*x"``).
    """
    try:
        tree = ast.parse(text.strip(), mode="exec")
    except SyntaxError as e:
        raise ExpressionError("cannot parse '{}': {} (column {})".format(
            text, e.msg, e.offset)) from None
    except (RecursionError, MemoryError):
        raise ExpressionError(TOO_DEEP) from None
    if not tree.body:
        raise ExpressionError("the expression is empty")
    walker = _Walker(text.strip(), variables)
    result, result_name = None, None
    for i, statement in enumerate(tree.body):
        last = i == len(tree.body) - 1
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                and isinstance(statement.targets[0], ast.Name):
            result_name = statement.targets[0].id
            result = walker.assign(result_name, statement.value)
        elif isinstance(statement, ast.Expr) and last:
            result, result_name = walker.value(statement.value), None
        else:
            raise ExpressionError("'{}' is not allowed: write 'name = expression' statements "
                                  "and end with the result".format(walker.source(statement)))
    return result, result_name, walker.named


class _Walker:
    """Evaluates allow-listed syntax trees, naming every tensor it makes."""

    def __init__(self, text, variables):
        self.text = text
        self.scope = dict(variables)
        self.named = {}

    def source(self, node):
        return ast.get_source_segment(self.text, node) or type(node).__name__

    def assign(self, name, node):
        if name in FUNCTIONS or name in self.scope:
            raise ExpressionError("'{}' is already {}; choose another name".format(
                name, "a function" if name in FUNCTIONS else "defined"))
        value = self.value(node, name)
        self.scope[name] = value
        return value

    def value(self, node, name=None):
        try:
            result = self._value(node)
        except RecursionError:
            raise ExpressionError(TOO_DEEP) from None
        if isinstance(result, ember.Tensor) and result.grad_fn is not None:
            self._name(result, name or self.source(node))
        return result

    def _name(self, tensor, name):
        if any(t is tensor for t in self.named.values()):
            return
        unique, n = name, 1
        while unique in self.named or unique in self.scope:
            n += 1
            unique = "{} ({})".format(name, n)
        self.named[unique] = tensor

    def _value(self, node):
        if isinstance(node, ast.Constant):
            if type(node.value) in (int, float):
                return float(node.value)
            raise ExpressionError("{} is not allowed: {}".format(self.source(node), ALLOWED))
        if isinstance(node, ast.Name):
            return self._lookup(node.id)
        if isinstance(node, ast.BinOp):
            op = OPERATORS.get(type(node.op))
            if op is None:
                raise ExpressionError("the operator '{}' is not allowed: {}".format(
                    SYMBOLS.get(type(node.op), type(node.op).__name__), ALLOWED))
            return self._compute(node, op, self.value(node.left), self.value(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.value(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.UnaryOp):
            raise ExpressionError("the operator '{}' is not allowed: {}".format(
                SYMBOLS.get(type(node.op), type(node.op).__name__), ALLOWED))
        if isinstance(node, ast.Call):
            return self._call(node)
        raise ExpressionError("'{}' is not allowed: {}".format(self.source(node), ALLOWED))

    def _lookup(self, name):
        if name in self.scope:
            return self.scope[name]
        if name in FUNCTIONS:
            raise ExpressionError("{0} is a function: write {0}(...)".format(name))
        raise ExpressionError("unknown name '{}' (variables: {})".format(
            name, ", ".join(self.scope) or "none; give them as NAME=VALUE"))

    def _call(self, node):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS:
            raise ExpressionError("'{}' is not a function ember graph knows: {}".format(
                self.source(node.func), ", ".join(FUNCTIONS)))
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise ExpressionError("{}() takes exactly one argument: {}".format(
                name, self.source(node)))
        argument = self.value(node.args[0])
        if not isinstance(argument, ember.Tensor):
            argument = ember.tensor(argument)
        return self._compute(node, FUNCTIONS[name], argument)

    def _compute(self, node, function, *arguments):
        """``function(*arguments)``, with a one-line message for what cannot be computed."""
        try:
            result = function(*arguments)
        except (ArithmeticError, ValueError, RuntimeError) as e:
            raise ExpressionError("cannot compute {}: {}".format(self.source(node), e)) from None
        if isinstance(result, complex):
            raise ExpressionError("{} is not a real number".format(self.source(node)))
        return result
