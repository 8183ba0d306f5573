"""The ``ember`` command (also ``python -m ember``).

    ember demo        the course's first autograd examples
    ember linreg      the course's linear-regression workflow: train, test, save, reload, plot
    ember graph       the computation graph of a formula, drawn and explained
    ember run         a training script on several processes (as torchrun), with MPI

``ember COMMAND --help`` lists each command's options.  The commands live in ``ember/cli/``.
"""
import os
import sys

from .cli import ArgumentParser, CommandError, graph, linreg, run


def _demo(args):
    """The course's first autograd examples, computed by ember."""
    import ember as torch
    nn = torch.nn

    print("y = x*x at x = 3")
    x = torch.tensor(3.0, requires_grad=True)
    y = x.mul(x)
    y.backward()
    print("  y =", y)
    print("  dy/dx =", x.grad)

    print("f = x^2 + 2y^2 + xy at (1, 1)")
    x = torch.tensor(1.0, requires_grad=True)
    y = torch.tensor(1.0, requires_grad=True)
    f = x.pow(2) + torch.tensor(2.0).mul(y.pow(2)) + x.mul(y)
    f.backward()
    print("  f =", f)
    print("  df/dx =", x.grad, " df/dy =", y.grad)

    print("a = relu(w*x + b) at x = 3, w = 2, b = 1")
    x = torch.tensor(3.0)
    w = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(1.0, requires_grad=True)
    a = nn.ReLU()(w * x + b)
    a.backward()
    print("  a =", a)
    print("  da/dw =", w.grad, " da/db =", b.grad)
    return 0


def _version():
    from ember import __version__
    return __version__


def main(argv=None):
    parser = ArgumentParser(prog="ember", description="ember: PyTorch on NumPy, for learning.",
                            epilog="'ember COMMAND --help' lists the options of a command.")
    parser.add_argument("--version", action="version", version="ember " + _version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser("demo", help="the course's first autograd examples",
                          description=_demo.__doc__)
    demo.set_defaults(run=_demo)
    linreg.add_parser(sub)
    graph.add_parser(sub)
    run.add_parser(sub)
    args = parser.parse_args(argv)
    if args.command is None:            # bare ``ember``: what it can do
        parser.print_help()
        return 0
    try:
        return args.run(args)
    except CommandError as e:
        print("ember {}: error: {}".format(args.command, e), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("ember {}: interrupted".format(args.command), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped reading (``ember linreg | head``): stop quietly, and send what is
        # still buffered nowhere, so that Python does not complain while exiting.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
