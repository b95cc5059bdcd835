using Pungi.Build.Diagnostics;
using Pungi.Build.Rpm;

namespace Pungi.Build.Gather;

/// <summary>
/// The multilib decision of the DNF backend (Pungi's <c>multilib_dnf.Multilib</c> over python-multilib, spec §3.6):
/// blacklist → no, whitelist → yes (<c>whitelist</c>), else the first configured method that selects the package.
/// Only <c>none</c>, <c>all</c>, <c>devel</c> and <c>runtime</c> exist there; <c>kernel</c> and <c>yaboot</c> were
/// methods of the yum backend only and are reported as such.
/// </summary>
public sealed class Multilib
{
    public static IReadOnlyList<string> DnfMethods { get; } = ["none", "all", "devel", "runtime"];

    // python-multilib's default /etc/multilib.conf lists (exact names; see README for the substring quirk).
    private static readonly HashSet<string> RuntimeWhite = new(StringComparer.Ordinal)
    {
        "libflashsupport", "libgnat", "lmms-vst", "nspluginwrapper", "perl-libs", "redhat-lsb",
        "syslinux-extlinux-nonlinux", "syslinux-nonlinux", "syslinux-tftpboot", "valgrind", "wine", "yaboot",
    };
    private static readonly HashSet<string> RuntimeBlack = new(StringComparer.Ordinal) { "httpd", "php", "tomcat-native" };
    private static readonly HashSet<string> DevelBlack = new(StringComparer.Ordinal)
    {
        "dmraid-devel", "httpd-devel", "kdeutils-devel", "mkinitrd-devel", "java-1.5.0-gcj-devel",
        "java-1.6.0-openjdk-devel", "java-1.7.0-icedtea-devel", "java-1.7.0-openjdk-devel", "java-1.8.0-openjdk-devel",
        "php-devel",
    };
    private static readonly HashSet<string> DevelWhite = new(StringComparer.Ordinal);
    private static readonly string[] PreferBits64 = ["gdb", "frysk", "systemtap", "systemtap-runtime", "ltrace", "strace"];
    private static readonly HashSet<string> RootLibDirs = new(StringComparer.Ordinal) { "/lib", "/lib64" };
    private static readonly HashSet<string> LibDirs = new(StringComparer.Ordinal) { "/lib", "/lib64", "/usr/lib", "/usr/lib64" };
    private static readonly HashSet<string> ByDir = BuildByDir();

    private readonly IReadOnlyList<string> _methods;
    private readonly IReadOnlyList<string> _blacklist;
    private readonly IReadOnlyList<string> _whitelist;

    public Multilib(IReadOnlyList<string> methods, IReadOnlyList<string> blacklist, IReadOnlyList<string> whitelist)
    {
        foreach (var m in methods)
        {
            if (m is "kernel" or "yaboot")
                throw new PungiException(ErrorCodes.GatherUnknownMultilibMethod,
                    $"Multilib method '{m}' exists only in Pungi's yum backend; the DNF backend knows {string.Join(", ", DnfMethods)}.");
            if (!DnfMethods.Contains(m))
                throw new PungiException(ErrorCodes.GatherUnknownMultilibMethod,
                    $"Unknown multilib method '{m}'; use one of {string.Join(", ", DnfMethods)}.");
        }
        _methods = methods;
        _blacklist = blacklist;
        _whitelist = whitelist;
    }

    /// <summary>
    /// The reason <paramref name="pkg"/> is multilib (<c>whitelist</c> or a method name), or null. Black and white
    /// lists are globs over package names (upstream expands them against the sack, which is the same thing).
    /// </summary>
    public string? IsMultilib(RpmPackage pkg)
    {
        if (PackageGlob.MatchesAny(pkg.Name, _blacklist)) return null;
        if (PackageGlob.MatchesAny(pkg.Name, _whitelist)) return "whitelist";
        foreach (var m in _methods)
            if (Select(m, pkg)) return m;
        return null;
    }

    public static bool Select(string method, RpmPackage po) => method switch
    {
        "all" => true,
        "runtime" => Runtime(po),
        "devel" => Devel(po),
        _ => false,
    };

    // python-multilib MultilibMethod.select: 64-bit debugging tools and kernels.
    private static bool Base(RpmPackage po)
    {
        if (!po.Arch.Contains("64", StringComparison.Ordinal)) return false;
        if (PreferBits64.Contains(po.Name)) return true;
        return po.Name.StartsWith("kernel", StringComparison.Ordinal)
            && po.Provides.Any(p => p.Name is "kernel" or "kernel-devel");
    }

    private static bool Runtime(RpmPackage po)
    {
        if (RuntimeBlack.Contains(po.Name)) return false;
        if (RuntimeWhite.Contains(po.Name)) return true;
        if (Base(po)) return true;
        if (po.Name.StartsWith("kernel", StringComparison.Ordinal) && po.Provides.Any(p => p.Name == "kernel")) return false;
        foreach (var f in po.Files)
        {
            if (f.Type == PackageFileType.Dir) continue;
            int slash = f.Path.LastIndexOf('/');
            if (slash < 0) continue;
            string dir = f.Path[..slash], file = f.Path[(slash + 1)..];
            if (LibDirs.Contains(dir) && PackageGlob.IsMatch(file, "*.so.*")) return true;
            if (ByDir.Contains(dir)) return true;
            if (dir == "/etc/ld.so.conf.d" && file.EndsWith(".conf", StringComparison.Ordinal)) return true;
            if (RootLibDirs.Contains(dir) && (file.StartsWith("libnss_", StringComparison.Ordinal) || file.StartsWith("libdb-", StringComparison.Ordinal)))
                return true;
            if (!dir.StartsWith("/usr/lib", StringComparison.Ordinal)) continue;
            if (dir.StartsWith("/usr/lib/gtk-2.0", StringComparison.Ordinal) || dir.StartsWith("/usr/lib64/gtk-2.0", StringComparison.Ordinal))
            {
                foreach (var leaf in new[] { "engines", "modules", "immodules", "loaders", "printbackends", "filesystems" })
                    if (PackageGlob.IsMatch(dir, "/usr/lib*/gtk-2.0/*/" + leaf)) return true;
                continue;
            }
            if (dir.StartsWith("/usr/lib/gstreamer-", StringComparison.Ordinal) || dir.StartsWith("/usr/lib64/gstreamer-", StringComparison.Ordinal))
                return true;
            if (PackageGlob.IsMatch(dir, "/usr/lib*/qt*/plugins/*") || PackageGlob.IsMatch(dir, "/usr/lib*/kde*/plugins/*")
                || PackageGlob.IsMatch(dir, "/usr/lib*/qt5/qml/*") || PackageGlob.IsMatch(dir, "/usr/lib*/gdk-pixbuf-2.0/*/loaders")
                || PackageGlob.IsMatch(dir, "/usr/lib*/xine/plugins/*"))
                return true;
            if (dir is "/usr/lib/oprofile" or "/usr/lib64/oprofile" && PackageGlob.IsMatch(file, "*.so.*")) return true;
            if (dir is "/usr/lib/wine" or "/usr/lib64/wine" && file.EndsWith(".so", StringComparison.Ordinal)) return true;
            if (dir is "/usr/lib/sane" or "/usr/lib64/sane" && file.StartsWith("libsane-", StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private static bool Devel(RpmPackage po)
    {
        if (DevelBlack.Contains(po.Name)) return false;
        if (DevelWhite.Contains(po.Name)) return true;
        if (Runtime(po)) return true;
        if (po.Name.StartsWith("ghc-", StringComparison.Ordinal)) return false;
        if (po.Name.StartsWith("kernel", StringComparison.Ordinal))
        {
            foreach (var p in po.Provides)
            {
                if (p.Name == "kernel-devel") return false;
                if (p.Name.EndsWith("-devel", StringComparison.Ordinal) || p.Name.EndsWith("-static", StringComparison.Ordinal)) return true;
            }
        }
        return po.Name.EndsWith("-devel", StringComparison.Ordinal) || po.Name.EndsWith("-static", StringComparison.Ordinal);
    }

    private static HashSet<string> BuildByDir()
    {
        var set = new HashSet<string>(StringComparer.Ordinal) { "/lib/security", "/lib64/security", "/etc/lsb-release.d" };
        foreach (var root in new[] { "/usr/lib", "/usr/lib64" })
            foreach (var p in new[] { "alsa-lib", "dri", "gtk-2.0/modules", "gtk-2.0/immodules", "krb5/plugins", "sasl2", "vdpau" })
                set.Add(root + "/" + p);
        return set;
    }
}
