using Pungi.Build.Diagnostics;
using Pungi.Build.Gather;

namespace Pungi.Build.Cli;

/// <summary>A command line that cannot be run: printed with its code, exit code 2.</summary>
internal sealed class UsageException(string message) : PungiException(ErrorCodes.GatherCliUsage, message);

/// <summary>
/// The command line of <c>pungi-build gather</c>. Options taking a value accept <c>--opt VALUE</c> and
/// <c>--opt=VALUE</c>; list options may be repeated or given comma-separated values. Everything after <c>--</c> is a
/// PACKAGE, so excludes (<c>-name</c>) go there.
/// </summary>
internal sealed class GatherOptions
{
    public string? Arch { get; private set; }
    public List<string> Repos { get; } = [];
    public List<string> Lookaside { get; } = [];
    public string? Comps { get; private set; }
    public List<string> Groups { get; } = [];
    public bool Langpacks { get; private set; }
    public GreedyMethod Greedy { get; private set; } = GreedyMethod.None;
    public bool GreedyGiven { get; private set; }
    public List<string> Multilib { get; } = [];
    public List<string> MultilibBlacklist { get; } = [];
    public List<string> MultilibWhitelist { get; } = [];
    public bool Fulltree { get; private set; }
    public List<string> FulltreeExcludes { get; } = [];
    public bool Selfhosting { get; private set; }
    public List<string> Prepopulate { get; } = [];
    public bool ExcludeSource { get; private set; }
    public bool ExcludeDebug { get; private set; }
    public bool Nodeps { get; private set; }
    public bool Json { get; private set; }
    public bool CheckDeps { get; private set; }
    public string? Why { get; private set; }
    public bool Help { get; private set; }

    /// <summary>PACKAGE arguments in the order given: names, globs, <c>name.+</c>, <c>name.arch</c>, <c>-exclude</c>.</summary>
    public List<string> Packages { get; } = [];

    public const string Usage = """
        usage: pungi-build gather --arch ARCH --repo DIR [--repo DIR…] [--lookaside DIR…]
                   [--comps FILE [--group ID…] [--langpacks]]
                   [--greedy none|all|build] [--multilib METHOD…] [--multilib-blacklist NAME…] [--multilib-whitelist NAME…]
                   [--fulltree] [--fulltree-exclude SRPMNAME…] [--selfhosting] [--prepopulate NAME.ARCH…]
                   [--exclude-source] [--exclude-debug] [--nodeps] [--check-deps] [--json] [--why NAME]
                   [--] PACKAGE…

        Runs the Gather phase's depsolver (gather_method deps, or nodeps with --nodeps) over repositories: a
        directory with repodata/ or a directory of RPM files. PACKAGE is a name or glob, name.+ (multilib arches
        only), name.src, or -PATTERN to exclude before depsolving (never from lookaside); put excludes after --.
        List options may be repeated or take comma-separated values.

        Output: RPM(flags): / DEBUGINFO(flags): / SRPM(flags): lines as pungi-gather prints them (file names,
        lookaside packages left out); --json prints {"rpm": [], "srpm": [], "debuginfo": [], "reasons": {}};
        --why NAME prints the chain that pulled NAME in.
        Exit codes: 0 done; 1 unresolved dependencies with --check-deps; 2 bad arguments or unreadable repositories.
        """;

    private static readonly HashSet<string> ValueOptions = new(StringComparer.Ordinal)
    {
        "--arch", "--repo", "--lookaside", "--comps", "--group", "--greedy", "--multilib", "--multilib-blacklist",
        "--multilib-whitelist", "--fulltree-exclude", "--prepopulate", "--why",
    };

    public static GatherOptions Parse(IReadOnlyList<string> args)
    {
        var o = new GatherOptions();
        bool optionsEnded = false;
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (optionsEnded || a.Length == 0 || a[0] != '-')
            {
                o.Packages.Add(a);
                continue;
            }
            if (a == "--")
            {
                optionsEnded = true;
                continue;
            }
            string name = a;
            string? value = null;
            int eq = a.IndexOf('=', StringComparison.Ordinal);
            if (a.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                name = a[..eq];
                value = a[(eq + 1)..];
            }
            if (ValueOptions.Contains(name))
            {
                if (value is null)
                {
                    if (i + 1 >= args.Count) throw new UsageException($"option {name} needs a value");
                    value = args[++i];
                }
                if (value.Length == 0) throw new UsageException($"option {name} needs a non-empty value");
                o.SetValue(name, value);
                continue;
            }
            if (value is not null) throw new UsageException($"option {name} takes no value");
            switch (name)
            {
                case "-h" or "--help": o.Help = true; break;
                case "--langpacks": o.Langpacks = true; break;
                case "--fulltree": o.Fulltree = true; break;
                case "--selfhosting": o.Selfhosting = true; break;
                case "--exclude-source": o.ExcludeSource = true; break;
                case "--exclude-debug": o.ExcludeDebug = true; break;
                case "--nodeps": o.Nodeps = true; break;
                case "--json": o.Json = true; break;
                case "--check-deps": o.CheckDeps = true; break;
                default:
                    throw new UsageException(name.StartsWith("--", StringComparison.Ordinal)
                        ? $"unknown option {name}"
                        : $"unknown option {name}; to exclude packages matching '{name[1..]}', put it after '--' (pungi-build gather … -- {name})");
            }
        }
        if (!o.Help) o.Validate();
        return o;
    }

    private void SetValue(string name, string value)
    {
        static IEnumerable<string> Split(string v) => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        switch (name)
        {
            case "--arch":
                if (Arch is not null && Arch != value) throw new UsageException($"--arch given twice ({Arch}, {value}); a gather runs for one arch");
                Arch = value;
                break;
            case "--repo": Repos.Add(value); break;
            case "--lookaside": Lookaside.Add(value); break;
            case "--comps":
                if (Comps is not null && Comps != value) throw new UsageException("--comps given twice; give one comps file");
                Comps = value;
                break;
            case "--group": Groups.AddRange(Split(value)); break;
            case "--greedy":
                Greedy = value switch
                {
                    "none" => GreedyMethod.None,
                    "all" => GreedyMethod.All,
                    "build" => GreedyMethod.Build,
                    _ => throw new UsageException($"--greedy '{value}' is not a greedy method; use none, all or build"),
                };
                GreedyGiven = true;
                break;
            case "--multilib": Multilib.AddRange(Split(value)); break;
            case "--multilib-blacklist": MultilibBlacklist.AddRange(Split(value)); break;
            case "--multilib-whitelist": MultilibWhitelist.AddRange(Split(value)); break;
            case "--fulltree-exclude": FulltreeExcludes.AddRange(Split(value)); break;
            case "--prepopulate":
                foreach (var p in Split(value))
                {
                    int dot = p.LastIndexOf('.');
                    if (dot <= 0 || dot == p.Length - 1)
                        throw new UsageException($"--prepopulate '{p}' is not NAME.ARCH (e.g. dummy-bash.x86_64)");
                    Prepopulate.Add(p);
                }
                break;
            case "--why":
                if (Why is not null && Why != value) throw new UsageException("--why given twice; ask about one package at a time");
                Why = value;
                break;
        }
    }

    private void Validate()
    {
        if (Arch is null) throw new UsageException("--arch is required (the tree arch to gather for, e.g. --arch x86_64)");
        if (Repos.Count == 0) throw new UsageException("at least one --repo DIR is required");
        if (Groups.Count > 0 && Comps is null) throw new UsageException("--group needs --comps FILE to read the group from");
        if (Langpacks && Comps is null) throw new UsageException("--langpacks needs --comps FILE to read the langpacks from");
        if (Json && Why is not null) throw new UsageException("--why prints an explanation, --json the result; give one of them");
        if (Nodeps)
        {
            // The nodeps method takes only names and groups: everything else belongs to the deps depsolver.
            var depsOnly = new List<string>();
            if (Lookaside.Count > 0) depsOnly.Add("--lookaside");
            if (Langpacks) depsOnly.Add("--langpacks");
            if (GreedyGiven) depsOnly.Add("--greedy");
            if (Multilib.Count > 0) depsOnly.Add("--multilib");
            if (MultilibBlacklist.Count > 0) depsOnly.Add("--multilib-blacklist");
            if (MultilibWhitelist.Count > 0) depsOnly.Add("--multilib-whitelist");
            if (Fulltree) depsOnly.Add("--fulltree");
            if (FulltreeExcludes.Count > 0) depsOnly.Add("--fulltree-exclude");
            if (Selfhosting) depsOnly.Add("--selfhosting");
            if (Prepopulate.Count > 0) depsOnly.Add("--prepopulate");
            if (ExcludeSource) depsOnly.Add("--exclude-source");
            if (ExcludeDebug) depsOnly.Add("--exclude-debug");
            if (CheckDeps) depsOnly.Add("--check-deps");
            if (Packages.Any(p => p.StartsWith('-'))) depsOnly.Add("excludes (-PATTERN)");
            if (depsOnly.Count > 0)
                throw new UsageException($"--nodeps runs the nodeps gather method, which has no {string.Join(", ", depsOnly)} "
                    + "(upstream's nodeps method ignores them, filter_packages included); drop them or drop --nodeps");
        }
        if (Packages.Count == 0 && Groups.Count == 0 && Prepopulate.Count == 0)
            throw new UsageException("nothing to gather: give a PACKAGE, a --group or a --prepopulate");
        foreach (var p in Packages)
            if (p is "-" or "") throw new UsageException($"'{p}' is not a package pattern");
    }
}
