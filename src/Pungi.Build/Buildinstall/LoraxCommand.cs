using Pungi.Build.Runroot;

namespace Pungi.Build.Buildinstall;

/// <summary>What goes into one lorax run (upstream <c>LoraxWrapper.get_lorax_cmd</c>'s parameters).</summary>
public sealed record LoraxRequest
{
    /// <summary>The executable; <c>lorax</c> as upstream, or a path (<c>BuildinstallLoraxPath</c>).</summary>
    public string Executable { get; init; } = "lorax";
    public required string Product { get; init; }
    public required string Version { get; init; }
    public required string Release { get; init; }
    /// <summary>Repositories: URLs, or local paths (made <c>file://</c> absolute paths).</summary>
    public required IReadOnlyList<string> Sources { get; init; }
    public required string OutputDir { get; init; }
    public string? Variant { get; init; }
    public string? Bugurl { get; init; }
    public bool Nomacboot { get; init; }
    public bool Noupgrade { get; init; }
    public bool IsFinal { get; init; }
    public string? Buildarch { get; init; }
    public string? Volid { get; init; }
    public IReadOnlyList<string> InstallPkgs { get; init; } = [];
    public IReadOnlyList<string> AddTemplate { get; init; } = [];
    public IReadOnlyList<string> AddArchTemplate { get; init; } = [];
    public IReadOnlyList<string> AddTemplateVar { get; init; } = [];
    public IReadOnlyList<string> AddArchTemplateVar { get; init; } = [];
    public string? LogDir { get; init; }
    public string? RootfsSize { get; init; }
    public IReadOnlyList<string> DracutArgs { get; init; } = [];
    public bool SkipBranding { get; init; }
    public bool SquashfsOnly { get; init; }
    public string? ConfigurationFile { get; init; }
}

/// <summary>The lorax command line exactly as upstream builds it (spec §2.3).</summary>
public static class LoraxCommand
{
    /// <summary>
    /// <c>get_lorax_cmd</c>'s argument list, in its order: product, version, release, one <c>--source</c> per repo,
    /// variant, bugurl, nomacboot, noupgrade, isfinal, buildarch, volid, installpkgs, the four template options,
    /// logfile (<c>&lt;logdir&gt;/lorax.log</c>), rootfs-size, dracut-arg, skip-branding, squashfs-only,
    /// <c>--config FILE</c> (two arguments: lorax does not take <c>--config=</c>), then the absolute output dir.
    /// </summary>
    public static List<string> Arguments(LoraxRequest r)
    {
        var cmd = new List<string>
        {
            r.Executable,
            "--product=" + r.Product,
            "--version=" + r.Version,
            "--release=" + r.Release,
        };
        foreach (var s in r.Sources)
            cmd.Add("--source=" + (s.Contains("://", StringComparison.Ordinal) ? s : "file://" + Path.GetFullPath(s)));
        if (r.Variant is not null) cmd.Add("--variant=" + r.Variant);
        if (r.Bugurl is not null) cmd.Add("--bugurl=" + r.Bugurl);
        if (r.Nomacboot) cmd.Add("--nomacboot");
        if (r.Noupgrade) cmd.Add("--noupgrade");
        if (r.IsFinal) cmd.Add("--isfinal");
        if (!string.IsNullOrEmpty(r.Buildarch)) cmd.Add("--buildarch=" + r.Buildarch);
        if (!string.IsNullOrEmpty(r.Volid)) cmd.Add("--volid=" + r.Volid);
        cmd.AddRange(r.InstallPkgs.Select(p => "--installpkgs=" + p));
        cmd.AddRange(r.AddTemplate.Select(p => "--add-template=" + p));
        cmd.AddRange(r.AddArchTemplate.Select(p => "--add-arch-template=" + p));
        cmd.AddRange(r.AddTemplateVar.Select(p => "--add-template-var=" + p));
        cmd.AddRange(r.AddArchTemplateVar.Select(p => "--add-arch-template-var=" + p));
        if (!string.IsNullOrEmpty(r.LogDir)) cmd.Add("--logfile=" + Path.Combine(r.LogDir, "lorax.log"));
        if (r.RootfsSize is not null) cmd.Add("--rootfs-size=" + r.RootfsSize);
        cmd.AddRange(r.DracutArgs.Select(a => "--dracut-arg=" + a));
        if (r.SkipBranding) cmd.Add("--skip-branding");
        if (r.SquashfsOnly) cmd.Add("--squashfs-only");
        if (!string.IsNullOrEmpty(r.ConfigurationFile))
        {
            cmd.Add("--config");
            cmd.Add(r.ConfigurationFile);
        }
        cmd.Add(Path.GetFullPath(r.OutputDir));
        return cmd;
    }

    /// <summary>
    /// The runroot command: <c>rm -rf &lt;out_topdir&gt; &amp;&amp; lorax …</c>, every word shell-quoted (lorax refuses an
    /// existing output directory).
    /// </summary>
    public static string ShellCommand(LoraxRequest r, string outputTopdir)
        => "rm -rf " + ShellQuote.Quote(outputTopdir) + " && " + ShellQuote.Join(Arguments(r));

    /// <summary>
    /// <c>get_valid_arches(arch)[0]</c>, the <c>--buildarch</c>: the best arch a tree arch runs, which is the tree arch
    /// itself except i386 (i686) and armhfp (armv7hnl).
    /// </summary>
    public static string BuildArch(string treeArch) => treeArch switch
    {
        "i386" => "i686",
        "armhfp" => "armv7hnl",
        _ => treeArch,
    };
}
