using Pungi.Build.Diagnostics;
using Pungi.Build.PungiConfig;

namespace Pungi.Build.Cli;

/// <summary>
/// <c>pungi-build import pungi.conf [-o distro.composeproj] [--sdk-path DIR] [--copy-inputs]</c>: translates a Pungi
/// config into a composeproj (DESIGN.md §3). Warnings go to stderr as <c>file(line,col): warning PUNGI12xx: …</c>.
/// Exit codes: 0 written (warnings allowed), 1 a coded error, 2 bad usage.
/// </summary>
public static class ImportCommand
{
    public const string Usage = """
        usage: pungi-build import PUNGI_CONF [-o OUTPUT.composeproj] [--sdk-path DIR] [--copy-inputs]
          PUNGI_CONF        a Pungi config (kobo Python-like syntax, or .json)
          -o, --output      the composeproj to write (default: the config's name with .composeproj, in the current folder)
          --sdk-path DIR    import DIR/Sdk.props and DIR/Sdk.targets by path (DIR is targets/Sdk or targets/)
                            instead of <Project Sdk="Pungi.Build.Sdk/1.0.0">
          --copy-inputs     copy variants_file and comps_file beside the composeproj
                            (default: reference them where they are, by a path relative to the composeproj)
        """;

    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? config = null, output = null, sdkPath = null;
        bool copy = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    stdout.WriteLine(Usage);
                    return 0;
                case "-o" or "--output" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                case "--sdk-path" when i + 1 < args.Length:
                    sdkPath = args[++i];
                    break;
                case "--copy-inputs":
                    copy = true;
                    break;
                case var a when a.StartsWith('-') && a.Length > 1:
                    stderr.WriteLine($"pungi-build import: error {ErrorCodes.ImportUsage}: unknown or incomplete option '{a}'");
                    stderr.WriteLine(Usage);
                    return 2;
                default:
                    if (config is not null)
                    {
                        stderr.WriteLine($"pungi-build import: error {ErrorCodes.ImportUsage}: more than one config given ('{config}', '{args[i]}')");
                        return 2;
                    }
                    config = args[i];
                    break;
            }
        }
        if (config is null)
        {
            stderr.WriteLine($"pungi-build import: error {ErrorCodes.ImportUsage}: no config given");
            stderr.WriteLine(Usage);
            return 2;
        }
        output ??= Path.ChangeExtension(Path.GetFileName(config), ".composeproj");
        var options = new ImportOptions(Path.GetFullPath(output), sdkPath, copy);
        try
        {
            var result = ComposeprojImporter.Import(config, options);
            foreach (var w in result.Warnings) stderr.WriteLine(w);
            ComposeprojImporter.Write(result, options);
            stdout.WriteLine($"wrote {options.OutputPath}: {result.Properties.Count} properties, {result.Items.Count} items, {result.Comments.Count} options kept as comments");
            return 0;
        }
        catch (PungiException e)
        {
            stderr.WriteLine(e.ToString());
            return 1;
        }
    }
}
