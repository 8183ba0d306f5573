"""``ember graph "relu(w*x + b)" x=3 w=2 b=1 --requires-grad w,b``: the computation graph of a
formula, drawn to a file, with the chain rule of its backward pass written out.

The formula is evaluated with ember tensors (``ember/cli/expr.py``), ``backward()`` runs on the
result, ``ember.autograd.explain`` writes out the backward pass and ``ember.viz.make_dot`` draws
the graph, each node labelled with its value and its gradient.
"""
import os

from ember.autograd import explain
from ember.autograd.chain_rule import format_value
from ember.viz import dot_program, make_dot

from . import CommandError, HelpFormatter
from .outputs import Outputs, check_folder
from .expr import FUNCTIONS, ExpressionError, evaluate, parse_value, short

FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot"}


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "graph", help="draw the computation graph of a formula and explain its backward pass",
        description="Evaluates FORMULA with ember tensors, runs backward(), prints the chain rule "
                    "of the backward pass (every local derivative, every path from the result to "
                    "a leaf) and draws the graph, each node with its value and gradient.  The "
                    "formula may use numbers, names, + - * / **, parentheses, the functions "
                    + ", ".join(FUNCTIONS) + ", and 'name = ...' statements separated by ';' "
                    "(the last one is the result).",
        formatter_class=HelpFormatter,
        epilog='examples:\n  ember graph "relu(w*x + b)" x=3 w=2 b=1 --requires-grad w,b\n'
               '  ember graph "u = w*x; v = u + b; a = relu(v)" x=3 w=2 b=1 -o out/g.svg')
    parser.add_argument("formula", metavar="FORMULA", help='e.g. "relu(w*x + b)"')
    parser.add_argument("values", metavar="NAME=VALUE", nargs="*",
                        help="a variable: a number (x=3) or numbers separated by commas (x=1,2,3)")
    parser.add_argument("--requires-grad", metavar="NAMES",
                        help="the variables that require grad, separated by commas (default: "
                             "all of them)")
    parser.add_argument("-o", "--output", metavar="FILE", default="graph.svg",
                        help="the picture: .svg, .png or .pdf (drawn by Graphviz's dot), or .dot "
                             "for the Graphviz source (default: graph.svg)")
    parser.add_argument("--no-picture", action="store_true",
                        help="only print the explanation (no Graphviz needed)")
    parser.set_defaults(run=run)
    return parser


def run(args):
    variables, requires_grad = _variables(args.values, args.requires_grad)
    try:
        result, result_name, named = evaluate(args.formula, variables)
    except ExpressionError as e:
        raise CommandError(str(e)) from None
    if not getattr(result, "requires_grad", False):
        raise CommandError("the result does not depend on a variable that requires grad, so "
                           "there is no backward pass to show")
    if result.numel() != 1:
        raise CommandError("the result has shape {}; the chain rule starts from one number: "
                           "wrap the formula in sum(...) or mean(...)".format(list(result.shape)))
    fmt = None if args.no_picture else _picture_format(args.output)

    params = dict(variables)            # names for explain() and make_dot(); the first wins
    params.update((name, t) for name, t in named.items() if t is not result)
    if result.grad_fn is not None:
        params[result_name or "out"] = result
    for t in params.values():
        if t.grad_fn is not None:
            t.retain_grad()           # so that the picture can show every node's gradient
    result.backward(retain_graph=True)   # explain() below still needs the saved values

    if not args.no_picture:
        dot = make_dot(result, params=params, show_values=True, show_grads=True, legend=True)
        del dot.graph_attr["size"]      # natural size: every label stays readable
        picture = dot.source.encode() if fmt == "dot" else _render(dot, fmt, args.output)
        folder, name = os.path.split(args.output)
        Outputs(folder or ".", [name], "-o").write({name: picture})

    given = ", ".join("{} = {}{}".format(name, format_value(t),
                                         " (requires grad)" if name in requires_grad else "")
                      for name, t in variables.items())
    print("{}   with {}".format(short(args.formula, 80), short(given, 200) or "no variables"))
    print()
    print(explain(result, params))
    if not args.no_picture:
        print()
        print("The graph, each node with its value and gradient:", args.output)
    return 0


def _variables(values, requires_grad):
    """``["x=3", "w=2"]`` -> ``{"x": tensor(3.), "w": tensor(2., requires_grad=True)}``."""
    variables = {}
    for text in values:
        try:
            name, tensor = parse_value(text)
        except ExpressionError as e:
            raise CommandError(str(e)) from None
        if name in variables:
            raise CommandError("{} is given twice".format(name))
        variables[name] = tensor
    names = list(variables) if requires_grad is None else \
        [n.strip() for n in requires_grad.split(",") if n.strip()]
    for name in names:
        if name not in variables:
            raise CommandError("--requires-grad: '{}' is not a variable (variables: {})".format(
                name, ", ".join(variables) or "none"))
        variables[name].requires_grad_(True)
    return variables, set(names)


def _picture_format(path):
    """Graphviz's name for the picture's format; first checks that it can be drawn and saved."""
    ext = os.path.splitext(path)[1].lower()
    if ext not in FORMATS:
        raise CommandError("-o {}: the picture's name must end in .svg, .png, .pdf or .dot"
                           .format(path))
    check_folder(os.path.dirname(path) or ".", "-o")
    if os.path.isdir(path):
        raise CommandError("cannot write {}: there is a folder of that name".format(path))
    try:
        import graphviz  # noqa: F401
    except ImportError:
        raise CommandError("drawing the graph needs the graphviz Python package: pip install "
                           "'ember[viz]' (or use --no-picture)") from None
    fmt = FORMATS[ext]
    program = dot_program() if fmt != "dot" else None
    if fmt != "dot" and program is None:
        raise CommandError(NO_DOT.format(path))
    if fmt == "pdf" and os.path.basename(program).startswith("graphviz-pure"):
        raise CommandError("-o {}: graphviz-pure draws .svg and .png, not .pdf (Graphviz's own dot "
                           "program draws .pdf too)".format(path))
    return fmt


NO_DOT = ("drawing {} needs a dot program: pip install graphviz-pure (or Graphviz itself: "
          "https://graphviz.org/download/); write a .dot file instead, or use --no-picture")


def _render(dot, fmt, path):
    import graphviz
    try:
        return dot.pipe(format=fmt, quiet=True)
    except graphviz.ExecutableNotFound:
        raise CommandError(NO_DOT.format(path)) from None
    except graphviz.CalledProcessError as e:
        raise CommandError("Graphviz could not draw {}: {}".format(
            path, (e.stderr or b"").decode(errors="replace").strip())) from None
