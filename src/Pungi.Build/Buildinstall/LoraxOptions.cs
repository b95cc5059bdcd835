namespace Pungi.Build.Buildinstall;

/// <summary>
/// One <c>lorax_options</c> block that matched the variant.arch (a <c>LoraxOption</c> item): a key that was not given
/// is null, because upstream's merge tells "absent" from "false" for some keys and not for others.
/// </summary>
public sealed record LoraxOptionBlock
{
    public bool? Noupgrade { get; init; }
    public bool? Nomacboot { get; init; }
    public string? Bugurl { get; init; }
    public string? RootfsSize { get; init; }
    public string? Version { get; init; }
    public IReadOnlyList<string> AddTemplate { get; init; } = [];
    public IReadOnlyList<string> AddArchTemplate { get; init; } = [];
    public IReadOnlyList<string> AddTemplateVar { get; init; } = [];
    public IReadOnlyList<string> AddArchTemplateVar { get; init; } = [];
    public IReadOnlyList<string> DracutArgs { get; init; } = [];
    public bool? SkipBranding { get; init; }
    public bool? SquashfsOnly { get; init; }
    public string? ConfigurationFile { get; init; }
}

/// <summary>The lorax settings of one variant.arch after merging every matching block (upstream <c>_get_lorax_cmd</c>).</summary>
public sealed record LoraxOptions
{
    public bool Noupgrade { get; init; } = true;
    public bool Nomacboot { get; init; } = true;
    public string? Bugurl { get; init; }
    public string? RootfsSize { get; init; }
    public string? Version { get; init; }
    public IReadOnlyList<string> AddTemplate { get; init; } = [];
    public IReadOnlyList<string> AddArchTemplate { get; init; } = [];
    public IReadOnlyList<string> AddTemplateVar { get; init; } = [];
    public IReadOnlyList<string> AddArchTemplateVar { get; init; } = [];
    public IReadOnlyList<string> DracutArgs { get; init; } = [];
    public bool SkipBranding { get; init; }
    public bool SquashfsOnly { get; init; }
    public string? ConfigurationFile { get; init; }

    /// <summary>
    /// Upstream's merge over the blocks in config order: <c>noupgrade</c>/<c>nomacboot</c> default true and any block
    /// saying false turns them off for good; the last truthy <c>bugurl</c> wins; <c>rootfs_size</c> and <c>version</c>
    /// are taken from the last block that has the key; template lists and dracut args concatenate; and
    /// <c>skip_branding</c>, <c>squashfs_only</c>, <c>configuration_file</c> come from the LAST block even when it
    /// does not set them (<c>data.get(key, False)</c>), so a later block without them resets them.
    /// <paramref name="defaultVersion"/> is <c>treeinfo_version</c> or <c>release_version</c>.
    /// </summary>
    public static LoraxOptions Merge(IEnumerable<LoraxOptionBlock> blocks, string defaultVersion)
    {
        var o = new LoraxOptions { Version = defaultVersion };
        var addTemplate = new List<string>();
        var addArchTemplate = new List<string>();
        var addTemplateVar = new List<string>();
        var addArchTemplateVar = new List<string>();
        var dracut = new List<string>();
        foreach (var b in blocks)
        {
            if (b.Noupgrade == false) o = o with { Noupgrade = false };
            if (!string.IsNullOrEmpty(b.Bugurl)) o = o with { Bugurl = b.Bugurl };
            if (b.Nomacboot == false) o = o with { Nomacboot = false };
            if (b.RootfsSize is not null) o = o with { RootfsSize = b.RootfsSize };
            addTemplate.AddRange(b.AddTemplate);
            addArchTemplate.AddRange(b.AddArchTemplate);
            addTemplateVar.AddRange(b.AddTemplateVar);
            addArchTemplateVar.AddRange(b.AddArchTemplateVar);
            dracut.AddRange(b.DracutArgs);
            o = o with
            {
                SkipBranding = b.SkipBranding ?? false,
                ConfigurationFile = b.ConfigurationFile,
                SquashfsOnly = b.SquashfsOnly ?? false,
            };
            if (b.Version is not null) o = o with { Version = b.Version };
        }
        return o with
        {
            AddTemplate = addTemplate,
            AddArchTemplate = addArchTemplate,
            AddTemplateVar = addTemplateVar,
            AddArchTemplateVar = addArchTemplateVar,
            DracutArgs = dracut,
        };
    }
}
