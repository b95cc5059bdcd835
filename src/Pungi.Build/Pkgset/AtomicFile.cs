using Pungi.Build.Diagnostics;

namespace Pungi.Build.Pkgset;

/// <summary>
/// Writes a pkgset output only when its bytes change (DESIGN.md §1: an unchanged package set must not wake Gather),
/// through a temporary file beside the target and a rename, so a killed build leaves the old or the new file.
/// (Comps/ContentFile does the same but raises the comps area's code; Compose/ has no shared helper yet.)
/// </summary>
internal static class AtomicFile
{
    /// <summary>Returns true when the file was (re)written.</summary>
    public static bool WriteIfChanged(string path, ReadOnlySpan<byte> content)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length == content.Length && content.SequenceEqual(File.ReadAllBytes(path)))
                return false;
            Write(path, content);
            return true;
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
            string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(dir);
            string temp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                    stream.Write(content);
                File.Move(temp, path, overwrite: true);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PungiException(ErrorCodes.PkgsetWriteFailed, $"cannot write {path}: {e.Message}", path, inner: e);
        }
    }
}
