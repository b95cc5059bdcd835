namespace Pungi.Build.Pkgset;

/// <summary>
/// <c>sigkeys</c>: keys in priority order (lower-cased); a null, empty or <c>none</c> entry is Koji's "unsigned copy",
/// which any file satisfies (a signed RPM still carries the unsigned package). A key matches a package whose signer
/// key ID ends with it, so both Pungi's 8-digit sigkeys and full 16-digit key IDs work.
/// </summary>
public sealed class SigkeyPolicy
{
    private readonly string?[] _keys;

    public SigkeyPolicy(IEnumerable<string?> sigkeys)
    {
        _keys = sigkeys.Select(Normalize).ToArray();
        if (_keys.Length == 0) _keys = [null]; // Pungi's default [None]
    }

    /// <summary>True when some entry accepts unsigned packages.</summary>
    public bool AllowsUnsigned => _keys.Any(k => k is null);

    /// <summary>The keys as configured (null for unsigned), for messages.</summary>
    public IReadOnlyList<string?> Keys => _keys;

    /// <summary>Position of the first entry that accepts a package signed by <paramref name="keyId"/> (null = unsigned); null when none does.</summary>
    public int? Rank(string? keyId)
    {
        string? id = keyId?.ToLowerInvariant();
        for (int i = 0; i < _keys.Length; i++)
        {
            var k = _keys[i];
            if (k is null) return i;
            if (id is not null && id.EndsWith(k, StringComparison.Ordinal)) return i;
        }
        return null;
    }

    private static string? Normalize(string? key)
    {
        if (key is null) return null;
        var k = key.Trim().ToLowerInvariant();
        if (k.StartsWith("0x", StringComparison.Ordinal)) k = k[2..];
        return k is "" or "none" ? null : k;
    }

    public override string ToString() => "[" + string.Join(", ", _keys.Select(k => k ?? "None")) + "]";
}
