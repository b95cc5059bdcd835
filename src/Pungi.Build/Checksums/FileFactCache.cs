using System.Globalization;
using System.Text;
using Pungi.Build.Compose;

namespace Pungi.Build.Checksums;

/// <summary>
/// What identifies one version of a file for the closing phases' caches: size, mtime and ctime to the nanosecond,
/// device and inode. A file replaced by rename has a new inode; one rewritten in place has a new mtime, and even when
/// its mtime is set back by hand (<c>touch -d</c>) its ctime moves, which nobody can set. On Linux through glibc's
/// <c>statx</c> (fixed buffer layout on every arch); elsewhere size and mtime only.
/// </summary>
public readonly record struct FileIdentity(long Size, long MtimeNs, long CtimeNs, ulong Device, ulong Inode)
{
    /// <summary>Stats <paramref name="path"/> (following symlinks); null when it does not exist or cannot be stat'ed.</summary>
    public static FileIdentity? Of(string path)
    {
        switch (Statx.Stat(path, out var r, out _))
        {
            case Statx.Outcome.Ok:
                return new FileIdentity(r.Size, r.MtimeNs, r.CtimeNs, r.Device, r.Inode);
            case Statx.Outcome.Failed:
                return null;
        }
        var fi = new FileInfo(path);
        if (!fi.Exists) return null;
        long mtime = (fi.LastWriteTimeUtc - DateTime.UnixEpoch).Ticks * 100;
        return new FileIdentity(fi.Length, mtime, mtime, 0, 0);
    }

    internal string Format() => string.Create(CultureInfo.InvariantCulture, $"{Size}\t{MtimeNs}\t{CtimeNs}\t{Device}\t{Inode}");
}

/// <summary>
/// Facts computed from a file's bytes (its digests, its implanted-md5 check), remembered in a small text file under
/// <c>work/global/</c> with the <see cref="FileIdentity"/> of the version they were computed from. A fact is reused
/// only while the file's identity is exactly the same; anything else (another size, mtime, ctime, inode, a file
/// missing, a cache file missing or unreadable) computes it again. Facts of a file modified less than
/// <see cref="RacyWindow"/> before it was stat'ed are not remembered (as git's racy-index rule: a write in the same
/// clock tick would leave the identity unchanged). Only the entries used by this run are saved.
/// </summary>
public sealed class FileFactCache
{
    private const string Magic = "# pungi-build file facts 1";
    /// <summary>A file whose mtime is this close to the moment it was stat'ed is not trusted to show its next write.</summary>
    public static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(1);

    private readonly string _path;
    private readonly Dictionary<string, (string Identity, Dictionary<string, string> Facts)> _old = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (string Identity, SortedDictionary<string, string> Facts)> _new = new(StringComparer.Ordinal);

    private FileFactCache(string path) => _path = path;

    /// <summary>Hits and misses of this run (for the phase's progress line and the tests).</summary>
    public int Hits { get; private set; }
    public int Misses { get; private set; }

    /// <summary>Reads the cache file; a missing or foreign file is an empty cache.</summary>
    public static FileFactCache Load(string path)
    {
        var cache = new FileFactCache(path);
        try
        {
            if (!File.Exists(path)) return cache;
            using var reader = new StreamReader(path, Encoding.UTF8);
            if (reader.ReadLine() != Magic) return cache;
            // file \t size \t mtime \t ctime \t dev \t ino \t fact \t value
            while (reader.ReadLine() is { } line)
            {
                var f = line.Split('\t');
                if (f.Length != 8) return new FileFactCache(path); // damaged: trust none of it
                var identity = string.Join('\t', f, 1, 5);
                if (!cache._old.TryGetValue(f[0], out var e) || e.Identity != identity)
                    cache._old[f[0]] = e = (identity, new Dictionary<string, string>(StringComparer.Ordinal));
                e.Facts[f[6]] = f[7];
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            return new FileFactCache(path);
        }
        return cache;
    }

    /// <summary>
    /// The fact <paramref name="fact"/> of <paramref name="file"/>: remembered when the file's identity is unchanged,
    /// else computed by <paramref name="compute"/> (which reads the file) and remembered when the file did not change
    /// while it ran. Values may not contain tabs or newlines.
    /// </summary>
    public string Get(string file, string fact, Func<string> compute)
    {
        var full = Path.GetFullPath(file);
        var before = FileIdentity.Of(full);
        var identity = before?.Format();
        if (identity is not null && _old.TryGetValue(full, out var old) && old.Identity == identity && old.Facts.TryGetValue(fact, out var known))
        {
            Hits++;
            Remember(full, identity, fact, known);
            return known;
        }
        Misses++;
        var value = compute();
        if (value.AsSpan().IndexOfAny('\t', '\n', '\r') >= 0)
            throw new ArgumentException($"a cached fact may not contain tabs or newlines: {value}", nameof(compute));
        var after = FileIdentity.Of(full);
        var statTime = DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks;
        if (before is { } b && after == b && statTime * 100 - b.MtimeNs >= RacyWindow.Ticks * 100)
            Remember(full, identity!, fact, value);
        return value;
    }

    private void Remember(string full, string identity, string fact, string value)
    {
        if (full.AsSpan().IndexOfAny('\t', '\n', '\r') >= 0 || fact.AsSpan().IndexOfAny('\t', '\n', '\r') >= 0)
            return; // not representable in the file: computed every time
        if (!_new.TryGetValue(full, out var e) || e.Identity != identity)
            _new[full] = e = (identity, new SortedDictionary<string, string>(StringComparer.Ordinal));
        e.Facts[fact] = value;
    }

    /// <summary>Writes the facts used by this run (rewritten only when they changed; a failure to write costs a recompute next time only).</summary>
    public void Save()
    {
        var sb = new StringBuilder(Magic).Append('\n');
        foreach (var (file, (identity, facts)) in _new)
            foreach (var (fact, value) in facts)
                sb.Append(file).Append('\t').Append(identity).Append('\t').Append(fact).Append('\t').Append(value).Append('\n');
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        AtomicFile.WriteIfChanged(_path, sb.ToString());
    }
}
