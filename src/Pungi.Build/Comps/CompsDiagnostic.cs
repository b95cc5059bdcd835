namespace Pungi.Build.Comps;

/// <summary>A warning the domain reports as data (it has no logger); the task logs it with its code and position.</summary>
public sealed record CompsDiagnostic(string Code, string Message, string? File = null, int Line = 0);
