using Pungi.Build.Diagnostics;

namespace Pungi.Build.Pkgset;

/// <summary>
/// Pkgset's outputs go through <see cref="Compose.AtomicFile"/> (write only when the bytes change, temp name + rename);
/// this only gives a failed write the pkgset area's code.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Returns true when the file was (re)written.</summary>
    public static bool WriteIfChanged(string path, ReadOnlySpan<byte> content)
    {
        try
        {
            return Compose.AtomicFile.WriteIfChanged(path, content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PungiException(ErrorCodes.PkgsetWriteFailed, $"cannot write {path}: {e.Message}", path, inner: e);
        }
    }

    /// <summary>Streamed content, compared with the file on disk before it replaces it.</summary>
    public static bool WriteIfChanged(string path, Action<Stream> write)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            return Compose.AtomicFile.WriteIfChanged(path, write);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PungiException(ErrorCodes.PkgsetWriteFailed, $"cannot write {path}: {e.Message}", path, inner: e);
        }
    }

    /// <summary>Always replaces the file (the header cache, whose bytes are not compared).</summary>
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        try
        {
            Compose.AtomicFile.Write(path, content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PungiException(ErrorCodes.PkgsetWriteFailed, $"cannot write {path}: {e.Message}", path, inner: e);
        }
    }
}
