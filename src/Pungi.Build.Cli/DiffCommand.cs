using Pungi.Build.Diagnostics;
using Pungi.Build.Report;

namespace Pungi.Build.Cli;

/// <summary>
/// <c>pungi-build diff OLD NEW [--json]</c>: the compose report's change list for any two compose trees, ours or
/// upstream Pungi's (their <c>compose/metadata/rpms.json</c> and <c>images.json</c>). Exit codes: 0 done (changes or
/// not), 1 a coded error, 2 bad usage.
/// </summary>
public static class DiffCommand
{
    public const string Usage = """
        usage: pungi-build diff OLD NEW [--json]
          OLD, NEW   compose directories (the top directory, its compose/ or compose/metadata/; a latest-… link works)
          --json     the change list as JSON instead of text
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var paths = new List<string>();
        bool json = false;
        foreach (var a in args)
        {
            switch (a)
            {
                case "-h" or "--help":
                    stdout.WriteLine(Usage);
                    return 0;
                case "--json":
                    json = true;
                    break;
                default:
                    if (a.StartsWith('-'))
                    {
                        stderr.WriteLine($"pungi-build diff: unknown option '{a}'\n{Usage}");
                        return 2;
                    }
                    paths.Add(a);
                    break;
            }
        }
        if (paths.Count != 2)
        {
            stderr.WriteLine(Usage);
            return 2;
        }
        try
        {
            var diff = ComposeDiff.Compare(ComposeManifest.Load(paths[0]), ComposeManifest.Load(paths[1]));
            if (json)
            {
                using var buffer = new MemoryStream();
                DiffWriter.WriteJson(buffer, diff);
                stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            }
            else
                DiffWriter.WriteText(stdout, diff);
            return 0;
        }
        catch (PungiException e)
        {
            stderr.WriteLine(e.ToString());
            return 1;
        }
    }
}
