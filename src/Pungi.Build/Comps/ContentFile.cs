using Pungi.Build.Diagnostics;

namespace Pungi.Build.Comps;

/// <summary>
/// Writes a content file only when its bytes change (DESIGN.md §1): an equal file is left untouched so its time
/// stamp does not wake later targets; a different one is written to a temporary name beside it and renamed into
/// place, so a killed build leaves the old file or the new one, never half of one.
/// </summary>
public static class ContentFile
{
    /// <summary>Returns true when the file was (re)written, false when it already had this content.</summary>
    public static bool WriteIfChanged(string path, ReadOnlySpan<byte> content)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length == content.Length && content.SequenceEqual(File.ReadAllBytes(path)))
                return false;

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                {
                    stream.Write(content);
                    stream.Flush(flushToDisk: true);
                }
                File.Move(temp, path, overwrite: true);
            }
            finally
            {
                if (File.Exists(temp))
                    File.Delete(temp);
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PungiException(ErrorCodes.CompsWriteFailed, $"Cannot write {path}: {e.Message}", path);
        }
    }
}
