namespace Pungi.Build.Cli;

/// <summary>Entry point of the <c>pungi-build</c> tool; each verb lives in its own class.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine("usage: pungi-build <command> [options]");
            Console.WriteLine("commands: (none yet)");
            return args.Length == 0 ? 2 : 0;
        }
        if (args[0] == "import") return ImportCommand.Run(args[1..]);
        Console.Error.WriteLine($"pungi-build: unknown command '{args[0]}'");
        return 2;
    }
}
