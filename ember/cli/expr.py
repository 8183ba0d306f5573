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
TOO_DEEP = "the expression is nested too deeply (too many parentheses, powers or calls inside " \
    "one another)"
TOO_LONG = "the expression is too long for Python's parser (a few thousand terms at most)"
ALLOWED = "use numbers, names, + - * / **, parentheses and " + ", ".join(FUNCTIONS)
SHOWN = 40          # the longest piece of a formula that a message or a name shows


class ExpressionError(ValueError):
    """A formula or a value that cannot be used; the message is one line for the user."""


def short(text, limit=SHOWN):
    """``text`` on one line, cut to ``limit`` characters (a message quotes, never floods)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def parse_value(text):
    """``NAME=VALUE`` -> ``(name, tensor)``; VALUE is a number or numbers separated by commas."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise ExpressionError("'{}' is not NAME=VALUE (for example x=3 or x=1,2,3)".format(
            short(text)))
    if name in FUNCTIONS:
        raise ExpressionError("'{}' is a function, it cannot be a variable".format(name))
    numbers = []
    for part in value.split(","):
        try:
            number = float(part)
        except ValueError:
            raise ExpressionError("{}: '{}' is not a number".format(
                short(text), short(part.strip(), 20))) from None
        if not math.isfinite(number):
            raise ExpressionError("{}: the value must be a finite number".format(short(text)))
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
    tree = _parse(text)
    walker = _Walker(text.strip(), variables)
    for statement in tree.body:         # refuse what is not a formula before computing
        if not isinstance(statement, (ast.Assign, ast.Expr)) or isinstance(
                statement, ast.Assign) and (len(statement.targets) != 1 or not isinstance(
                    statement.targets[0], ast.Name)):
            raise ExpressionError("'{}' is not allowed: write 'name = expression' statements "
                                  "and end with the result".format(walker.source(statement)))
    result, result_name = None, None
    for i, statement in enumerate(tree.body):
        if isinstance(statement, ast.Assign):
            result_name = statement.targets[0].id
            result = walker.assign(result_name, statement.value)
        elif i == len(tree.body) - 1:
            result, result_name = walker.value(statement.value), None
        else:
            raise ExpressionError("'{}' is computed but not named: only the last part may be a "
                                  "bare expression (write 'name = {}')".format(
                                      walker.source(statement), walker.source(statement)))
    return result, result_name, walker.named


def _parse(text):
    """The syntax tree of ``text``; a one-line :class:`ExpressionError` for what Python's parser
    refuses (never its advice about Python's own settings)."""
    try:
        tree = ast.parse(text.strip(), mode="exec")
    except SyntaxError as e:
        if "integer string conversion" in str(e.msg):
            raise ExpressionError("a number in the expression has more than 4300 digits") \
                from None
        if "too many nested parentheses" in str(e.msg):
            raise ExpressionError(TOO_DEEP) from None
        raise ExpressionError("cannot parse '{}': {} (column {})".format(
            short(text), e.msg, e.offset)) from None
    except RecursionError:
        raise ExpressionError(TOO_LONG) from None
    except MemoryError:
        raise ExpressionError(TOO_LONG) from None
    if not tree.body:
        raise ExpressionError("the expression is empty")
    return tree


class _Walker:
    """Evaluates allow-listed syntax trees, naming every tensor it makes."""

    def __init__(self, text, variables):
        self.text = text
        self.scope = dict(variables)
        self.named = {}

    def source(self, node, limit=SHOWN):
        """The text of ``node`` in the formula, cut to ``limit`` characters."""
        return short(ast.get_source_segment(self.text, node) or type(node).__name__, limit)

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
            return self._chain(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.value(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.UnaryOp):
            raise ExpressionError("the operator '{}' is not allowed: {}".format(
                SYMBOLS.get(type(node.op), type(node.op).__name__), ALLOWED))
        if isinstance(node, ast.Call):
            return self._call(node)
        raise ExpressionError("'{}' is not allowed: {}".format(self.source(node), ALLOWED))

    def _chain(self, node):
        """``a + b - c * d ...``: Python's parser nests a chain of binary operators to the left,
        ``((a + b) - c) ...``; it is computed with a loop down that nesting (so that a long sum
        does not run into Python's recursion limit), innermost first."""
        chain = [node]
        while isinstance(chain[-1].left, ast.BinOp):
            chain.append(chain[-1].left)
        value = self.value(chain[-1].left)
        for link in reversed(chain):
            op = OPERATORS.get(type(link.op))
            if op is None:
                raise ExpressionError("the operator '{}' is not allowed: {}".format(
                    SYMBOLS.get(type(link.op), type(link.op).__name__), ALLOWED))
            value = self._compute(link, op, value, self.value(link.right))
            if link is not node and isinstance(value, ember.Tensor) and value.grad_fn is not None:
                self._name(value, self.source(link))
        return value

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
