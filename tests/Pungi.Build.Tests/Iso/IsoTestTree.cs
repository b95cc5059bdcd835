using Xunit;
using System.Security.Cryptography;

namespace Pungi.Build.Tests.Iso;

/// <summary>A throw-away directory that deletes itself.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pungi-iso-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// The tree the ISO tests write: symlinks (relative, absolute, dangling, to a directory), a hard-link pair, long,
/// deep (> 8 levels) and non-ASCII names, names that collide once mapped to ISO 9660 d-characters, empty
/// directories and files, an executable, a real RPM, a 2.5 MiB file (so checkisomd5 sees a real image), and boot
/// files standing in for Buildinstall output (isolinux.bin from Debian's isolinux when installed).
/// </summary>
internal static class IsoTestTree
{
    public static readonly string LongName = new string('l', 150) + ".txt";
    public static readonly string Name103 = new string('m', 99) + ".rpm";
    public const string NonAscii = "čeština-日本語-Ünïcödé.txt";

    public static string Create(string root)
    {
        Directory.CreateDirectory(root);
        Write(root, "README", "Pungi.Build ISO test tree\n");
        Write(root, "empty.txt", "");
        Directory.CreateDirectory(Path.Combine(root, "emptydir"));
        Directory.CreateDirectory(Path.Combine(root, "emptydir", "nested-empty"));
        Write(root, "a-b.txt", "dash\n");
        Write(root, "a_b.txt", "underscore\n");
        Write(root, "A.B.txt", "dots\n");
        Write(root, "UPPER.TXT", "upper\n");
        Write(root, "upper.txt", "lower\n");
        Write(root, LongName, "long name\n");
        Write(root, Name103, "103 characters\n");
        Write(root, NonAscii, "non-ascii\n");
        Write(root, "dír ñame/file with spaces.txt", "spaces\n");
        Write(root, "d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/deep.txt", "deep\n");
        Write(root, "bin/run.sh", "#!/bin/sh\necho hi\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Path.Combine(root, "bin/run.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        // A 2.5 MiB file with deterministic content.
        var big = new byte[2_621_440 + 123];
        new Random(8).NextBytes(big);
        Write(root, "images/install.img", big);
        // Hard links: the same inode under two names.
        Write(root, "hard/original.dat", "shared bytes\n");
        Interop.RunOk("ln", Path.Combine(root, "hard/original.dat"), Path.Combine(root, "hard/linked.dat"));
        // Symlinks.
        File.CreateSymbolicLink(Path.Combine(root, "link-to-readme"), "README");
        File.CreateSymbolicLink(Path.Combine(root, "hard/up-link"), "../README");
        File.CreateSymbolicLink(Path.Combine(root, "abs-link"), "/etc/os-release");
        File.CreateSymbolicLink(Path.Combine(root, "dangling"), "does/not/exist");
        File.CreateSymbolicLink(Path.Combine(root, "dir-link"), "d1/d2");
        File.CreateSymbolicLink(Path.Combine(root, "long-target-link"), string.Join('/', Enumerable.Repeat("verylongcomponent-" + new string('x', 40), 8)));
        var rpm = Directory.EnumerateFiles(TestPaths.PungiDummyRpms, "*.rpm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).FirstOrDefault();
        if (rpm is not null)
        {
            Directory.CreateDirectory(Path.Combine(root, "Packages/d"));
            File.Copy(rpm, Path.Combine(root, "Packages/d", Path.GetFileName(rpm)));
        }
        // Boot files: Debian's isolinux.bin when present (a real BIOS image), else stand-in bytes.
        var isolinux = "/usr/lib/ISOLINUX/isolinux.bin";
        var bios = File.Exists(isolinux) ? File.ReadAllBytes(isolinux) : Filler(38912, 1);
        Write(root, "isolinux/isolinux.bin", bios);
        Write(root, "isolinux/isolinux.cfg", "default test\n");
        Write(root, "images/efiboot.img", Filler(1_474_560, 2));
        // Fixed times so two writes of the tree are comparable.
        foreach (var f in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
            if (new FileInfo(f).LinkTarget is null) File.SetLastWriteTimeUtc(f, new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc));
        return root;
    }

    private static byte[] Filler(int size, int seed)
    {
        var b = new byte[size];
        new Random(seed).NextBytes(b);
        return b;
    }

    private static void Write(string root, string rel, string text) => Write(root, rel, System.Text.Encoding.UTF8.GetBytes(text));

    private static void Write(string root, string rel, byte[] bytes)
    {
        var p = Path.Combine(root, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        File.WriteAllBytes(p, bytes);
    }

    /// <summary>The tree as "kind path [size|-> target]" lines, sorted ordinally: what every listing must equal.</summary>
    public static SortedSet<string> Listing(string root, bool withSymlinks = true, Func<string, string>? mapName = null)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        void Walk(string dir, string rel)
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
            {
                var name = Path.GetFileName(entry);
                var mapped = mapName is null ? name : mapName(name);
                var path = rel + "/" + mapped;
                var fi = new FileInfo(entry);
                if (fi.LinkTarget is not null)
                {
                    if (withSymlinks) set.Add($"l {path} -> {fi.LinkTarget}");
                }
                else if (Directory.Exists(entry))
                {
                    set.Add($"d {path}");
                    Walk(entry, path);
                }
                else set.Add($"f {path} {fi.Length}");
            }
        }
        Walk(root, "");
        return set;
    }

    public static string Sha256(Stream s) => Convert.ToHexString(SHA256.HashData(s));
}
