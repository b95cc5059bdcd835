using Pungi.Build.Diagnostics;

namespace Pungi.Build.Comps;

/// <summary>
/// Comps outputs go through <see cref="Compose.AtomicFile"/> (an equal file is left untouched so its time stamp does not
/// wake later targets; otherwise temp name + rename); this only gives a failed write the comps area's code.
/// </summary>
public static class ContentFile
{
    /// <summary>Returns true when the file was (re)written, false when it already had this content.</summary>
    public static bool WriteIfChanged(string path, ReadOnlySpan<byte> content)
    {
        try
        {
            return Compose.AtomicFile.WriteIfChanged(path, content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PungiException(ErrorCodes.CompsWriteFailed, $"Cannot write {path}: {e.Message}", path);
        }
    }
}
