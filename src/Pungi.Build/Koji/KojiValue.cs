using System.Globalization;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Koji;

/// <summary>Reading decoded XML-RPC values (structs are Dictionary&lt;string, object?&gt;, arrays List&lt;object?&gt;).</summary>
public static class KojiValue
{
    public static T To<T>(object? value, string what)
    {
        if (value is T t) return t;
        if (value is null && default(T) is null) return default!;
        try
        {
            var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
            if (target == typeof(long) || target == typeof(int) || target == typeof(double))
                return (T)Convert.ChangeType(value!, target, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
        }
        throw new PungiException(ErrorCodes.KojiBadResponse, $"{what}: expected {typeof(T).Name}, got {(value is null ? "nil" : value.GetType().Name)}");
    }

    public static object? Get(IReadOnlyDictionary<string, object?> d, string key) => d.TryGetValue(key, out var v) ? v : null;

    public static string? Str(IReadOnlyDictionary<string, object?> d, string key) => Get(d, key) switch
    {
        null => null,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var o => o.ToString(),
    };

    public static long? LongOrNull(IReadOnlyDictionary<string, object?> d, string key) => Get(d, key) switch
    {
        int i => i,
        long l => l,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
        double x => (long)x,
        _ => null,
    };

    public static long Long(IReadOnlyDictionary<string, object?> d, string key)
        => LongOrNull(d, key) ?? throw new PungiException(ErrorCodes.KojiBadResponse, $"Koji struct lacks integer '{key}'");

    public static int Int(IReadOnlyDictionary<string, object?> d, string key) => checked((int)Long(d, key));

    public static int? IntOrNull(IReadOnlyDictionary<string, object?> d, string key) => LongOrNull(d, key) is { } l ? checked((int)l) : null;

    public static double? Double(IReadOnlyDictionary<string, object?> d, string key) => Get(d, key) switch
    {
        double x => x,
        int i => i,
        long l => l,
        _ => null,
    };

    public static bool Bool(IReadOnlyDictionary<string, object?> d, string key) => Get(d, key) switch
    {
        bool b => b,
        int i => i != 0,
        _ => false,
    };

    public static Dictionary<string, object?>? Dict(IReadOnlyDictionary<string, object?> d, string key) => Get(d, key) as Dictionary<string, object?>;

    public static List<object?> List(IReadOnlyDictionary<string, object?> d, string key) => Get(d, key) as List<object?> ?? [];

    public static Dictionary<string, object?> AsStruct(object? v, string what)
        => v as Dictionary<string, object?> ?? throw new PungiException(ErrorCodes.KojiBadResponse, $"{what}: expected a struct, got {(v is null ? "nil" : v.GetType().Name)}");

    public static List<object?> AsArray(object? v, string what)
        => v as List<object?> ?? throw new PungiException(ErrorCodes.KojiBadResponse, $"{what}: expected an array, got {(v is null ? "nil" : v.GetType().Name)}");
}
