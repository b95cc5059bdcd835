using System.Text;

namespace Pungi.Build.Runroot;

/// <summary>The last lines of a log, read from its end so a large lorax log is never loaded whole.</summary>
public static class LogTail
{
    public static string Read(string path, int lines = 20)
    {
        if (!File.Exists(path)) return "";
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        const int Chunk = 64 * 1024;
        long start = Math.Max(0, fs.Length - Chunk);
        fs.Seek(start, SeekOrigin.Begin);
        var buffer = new byte[fs.Length - start];
        fs.ReadExactly(buffer);
        var text = Encoding.UTF8.GetString(buffer).TrimEnd('\n', '\r');
        var all = text.Split('\n');
        // The first line of a partial chunk is cut; drop it unless the file fit.
        var usable = start > 0 ? all.Skip(1).ToArray() : all;
        return string.Join("\n", usable.TakeLast(lines)).TrimEnd();
    }
}
