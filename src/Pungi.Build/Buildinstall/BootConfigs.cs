using System.Text;
using System.Text.RegularExpressions;

namespace Pungi.Build.Buildinstall;

/// <summary>
/// Upstream's boot config rewriting (<c>tweak_configs</c>, spec §2.3): lorax wrote the boot configs with the volume
/// ID it was given; the tree's configs must name the DVD's volume ID exactly as each boot loader reads it.
/// </summary>
public static partial class BootConfigs
{
    /// <summary>Upstream's <c>BOOT_CONFIGS</c>, relative to the tree, in its order.</summary>
    public static readonly IReadOnlyList<string> Paths =
    [
        "isolinux/isolinux.cfg",
        "etc/yaboot.conf",
        "ppc/ppc64/yaboot.conf",
        "EFI/BOOT/BOOTX64.conf",
        "EFI/BOOT/grub.cfg",
    ];

    [GeneratedRegex(@":CDLABEL=[^ \n]*", RegexOptions.CultureInvariant)]
    private static partial Regex CdLabel();

    [GeneratedRegex(@":LABEL=[^ \n]*", RegexOptions.CultureInvariant)]
    private static partial Regex Label();

    [GeneratedRegex(@"(search .* -l) '[^'\n]*'", RegexOptions.CultureInvariant)]
    private static partial Regex SearchLabel();

    /// <summary>
    /// The volume ID as a config names it: spaces as <c>\x20</c> (4 characters); in yaboot configs one more level of
    /// escaping, <c>\\x20</c>. (Upstream doubles backslashes once more because the value is a <c>re.sub</c>
    /// replacement; this is the text that lands in the file.)
    /// </summary>
    public static string EscapedVolid(string volid, bool yaboot)
    {
        var once = volid.Replace(" ", @"\x20", StringComparison.Ordinal);
        return yaboot ? once.Replace(@"\", @"\\", StringComparison.Ordinal) : once;
    }

    /// <summary>
    /// One config's text rewritten: every <c>:CDLABEL=…</c> (pre-F18) and then every <c>:LABEL=…</c> (F18+) up to a
    /// space or newline becomes the escaped volume ID, followed by <c> inst.ks=hd:LABEL=&lt;volid&gt;:/ks.cfg</c> when a
    /// kickstart is set; then grub's <c>search … -l '&lt;x&gt;'</c> gets the raw volume ID. The substitutions run one
    /// after the other as upstream's do, so with a kickstart a <c>:CDLABEL=</c> line also gets its inserted
    /// <c>hd:LABEL=</c> rewritten by the second pass, as upstream.
    /// </summary>
    public static string Tweak(string text, string volid, bool yaboot, bool kickstart)
    {
        var escaped = EscapedVolid(volid, yaboot);
        var ks = kickstart ? $" inst.ks=hd:LABEL={escaped}:/ks.cfg" : "";
        text = CdLabel().Replace(text, _ => ":CDLABEL=" + escaped + ks);
        text = Label().Replace(text, _ => ":LABEL=" + escaped + ks);
        text = SearchLabel().Replace(text, m => m.Groups[1].Value + " '" + volid + "'");
        return text;
    }

    /// <summary>
    /// Rewrites the configs found under <paramref name="tree"/>; returns the ones found (relative paths). Each file is
    /// removed and written anew, which breaks a hard link to lorax's output as upstream intends. Text is read as
    /// Python's text mode reads it (UTF-8, universal newlines).
    /// </summary>
    public static List<string> TweakTree(string tree, string volid, bool kickstart)
    {
        var found = new List<string>();
        foreach (var rel in Paths)
        {
            var path = Path.Combine(tree, rel);
            if (!File.Exists(path)) continue;
            found.Add(rel);
            var text = File.ReadAllText(path, Encoding.UTF8).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
            var mode = OperatingSystem.IsWindows() ? (UnixFileMode?)null : File.GetUnixFileMode(path);
            File.Delete(path);
            File.WriteAllText(path, Tweak(text, volid, rel.Contains("yaboot", StringComparison.Ordinal), kickstart), new UTF8Encoding(false));
            if (mode is { } m && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, m);
        }
        return found;
    }
}
