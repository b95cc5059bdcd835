namespace Pungi.Build.Diagnostics;

/// <summary>
/// A user-facing failure with a <c>PUNGI####</c> code and, where known, the file and line that caused it.
/// Domain code throws it; the task base class turns it into one MSBuild error (never a stack trace).
/// </summary>
public class PungiException : Exception
{
    public PungiException(string code, string message, string? file = null, int line = 0, int column = 0, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        File = file;
        Line = line;
        Column = column;
    }

    public string Code { get; }
    public string? File { get; }
    public int Line { get; }
    public int Column { get; }

    public override string ToString()
        => (File is null ? "" : Line > 0 ? $"{File}({Line},{Column}): " : $"{File}: ") + $"error {Code}: {Message}";
}
