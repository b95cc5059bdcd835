using System.Text;

namespace Pungi.Build.Compose;

/// <summary>
/// Writes a content file only when its content changes, and then atomically: the new content goes to a temporary
/// file beside the target and is renamed over it, so a killed build leaves the old file or the new one
/// (DESIGN.md §1, §5). An untouched file keeps its timestamp, which keeps later targets skipped.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="text"/> as UTF-8 without BOM; returns whether the file was written.</summary>
    public static bool WriteIfChanged(string path, string text) => WriteIfChanged(path, Utf8NoBom.GetBytes(text));

    /// <summary>Writes <paramref name="content"/>; returns whether the file was written (false: it already held it).</summary>
    public static bool WriteIfChanged(string path, ReadOnlySpan<byte> content)
    {
        if (SameContent(path, content))
            return false;
        var temp = TempName(path);
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                fs.Write(content);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        return true;
    }

    /// <summary>
    /// Streams content produced by <paramref name="write"/> into a temporary file, then replaces the target only if
    /// the bytes differ (for content too large to hold in memory). Returns whether the file was replaced.
    /// </summary>
    public static bool WriteIfChanged(string path, Action<Stream> write)
    {
        var temp = TempName(path);
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(fs);
                fs.Flush();
                // Synced only when it replaces the target: an unchanged file's copy is deleted, so its sync bought nothing.
                if (SameFiles(temp, path))
                {
                    fs.Dispose();
                    File.Delete(temp);
                    return false;
                }
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
            return true;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Writes unconditionally (still temp + rename).</summary>
    /// <summary>Always replaces the file, through a temporary name and a rename (for files whose bytes are not compared).</summary>
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var temp = TempName(path);
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                fs.Write(content);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void Write(string path, string text)
    {
        var temp = TempName(path);
        try
        {
            File.WriteAllText(temp, text, Utf8NoBom);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static string TempName(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        // Same directory, so the rename never crosses a file system; a dot name so globs skip it.
        return Path.Combine(dir, $".{Path.GetFileName(full)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
    }

    private static bool SameContent(string path, ReadOnlySpan<byte> content)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length != content.Length)
            return false;
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = new byte[Math.Min(content.Length, 81920)];
        var offset = 0;
        while (offset < content.Length)
        {
            var n = fs.Read(buffer, 0, Math.Min(buffer.Length, content.Length - offset));
            if (n == 0 || !buffer.AsSpan(0, n).SequenceEqual(content.Slice(offset, n)))
                return false;
            offset += n;
        }
        return true;
    }

    private static bool SameFiles(string a, string b)
    {
        var ia = new FileInfo(a);
        var ib = new FileInfo(b);
        if (!ib.Exists || ia.Length != ib.Length)
            return false;
        using var fa = new FileStream(a, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var fb = new FileStream(b, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var ba = new byte[81920];
        var bb = new byte[81920];
        while (true)
        {
            var na = fa.ReadAtLeast(ba, ba.Length, throwOnEndOfStream: false);
            var nb = fb.ReadAtLeast(bb, bb.Length, throwOnEndOfStream: false);
            if (na != nb || !ba.AsSpan(0, na).SequenceEqual(bb.AsSpan(0, nb)))
                return false;
            if (na == 0)
                return true;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover dot-temp file is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
