namespace Pungi.Build.Cli;

/// <summary>Entry point of the <c>pungi-build</c> tool; each verb lives in its own class.</summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs one command with its output going to the given writers (tests call this in-process).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            var w = args.Length == 0 ? stderr : stdout;
            w.WriteLine("usage: pungi-build <command> [options]");
            w.WriteLine("commands:");
            w.WriteLine("  diff      list the packages and images that changed between two composes");
            w.WriteLine("  gather    depsolve packages from repositories as the Gather phase does, and say why each is in");
            w.WriteLine("  import    translate a Pungi configuration file into a .composeproj");
            return args.Length == 0 ? 2 : 0;
        }
        string[] rest = args[1..];
        try
        {
            switch (args[0])
            {
                case "diff":
                    return DiffCommand.Run(rest, stdout, stderr);
                case "gather":
                    return GatherCommand.Run(rest, stdout, stderr);
                case "import":
                    return ImportCommand.Run(rest, stdout, stderr);
                default:
                    stderr.WriteLine($"pungi-build: unknown command '{args[0]}' (try pungi-build --help)");
                    return 2;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Commands turn every user error into a coded message; anything reaching here is a bug, still no stack trace.
            stderr.WriteLine($"pungi-build {args[0]}: error {Diagnostics.ErrorCodes.InternalError}: internal error ({e.GetType().Name}: {e.Message}); please report it");
            return 1;
        }
    }
}
