using Pungi.Build.Koji;

namespace Pungi.Build.Tests.Koji;

/// <summary>One recorded exchange of fixtures/koji-transcripts: the raw bodies and their decoded forms.</summary>
internal sealed record KojiTranscript(string Name, string RequestXml, string ResponseXml, XmlRpcCall Call, XmlRpcResponse Response);

/// <summary>Loads the recorded real-hub exchanges (the wire truth the simulator replays).</summary>
internal static class KojiTranscripts
{
    public static string Dir => Path.Combine(TestPaths.Fixtures, "koji-transcripts");

    private static readonly Lazy<IReadOnlyList<KojiTranscript>> All = new(Load);

    public static IReadOnlyList<KojiTranscript> Pairs => All.Value;

    public static KojiTranscript Get(string name) => Pairs.Single(p => p.Name == name);

    private static List<KojiTranscript> Load()
    {
        var list = new List<KojiTranscript>();
        foreach (var dir in new[] { Dir, Path.Combine(Dir, "setup") })
        {
            foreach (var req in Directory.GetFiles(dir, "*.request.xml").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(req)[..^".request.xml".Length];
                if (dir != Dir) name = "setup/" + name;
                var resp = req[..^".request.xml".Length] + ".response.xml";
                var reqXml = File.ReadAllText(req);
                var respXml = File.ReadAllText(resp);
                list.Add(new KojiTranscript(name, reqXml, respXml, XmlRpcReader.ReadCall(reqXml), XmlRpcReader.ReadResponse(respXml)));
            }
        }
        return list;
    }

    /// <summary>Compares XML text with the whitespace between tags removed.</summary>
    public static string Squash(string xml)
        => System.Text.RegularExpressions.Regex.Replace(xml, @">\s+<", "><").Trim();

    /// <summary>Value equality for decoded XML-RPC values (struct member order ignored, int/long alike).</summary>
    public static bool DeepEqual(object? a, object? b)
    {
        switch (a, b)
        {
            case (null, null): return true;
            case (null, _) or (_, null): return false;
            case (int or long, int or long): return Convert.ToInt64(a) == Convert.ToInt64(b);
            case (Dictionary<string, object?> da, Dictionary<string, object?> db):
                return da.Count == db.Count && da.All(kv => db.TryGetValue(kv.Key, out var v) && DeepEqual(kv.Value, v));
            case (List<object?> la, List<object?> lb):
                return la.Count == lb.Count && la.Zip(lb).All(p => DeepEqual(p.First, p.Second));
            case (byte[] ba, byte[] bb): return ba.AsSpan().SequenceEqual(bb);
            default: return a.Equals(b);
        }
    }
}
