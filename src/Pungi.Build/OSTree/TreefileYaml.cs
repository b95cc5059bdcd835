using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pungi.Build.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pungi.Build.OSTree;

/// <summary>
/// A YAML treefile (rpm-ostree reads <c>.yaml</c> with serde_yaml) as the JSON tree the JSON form gives, so
/// <see cref="Treefile"/> reads both alike: mappings become objects (keys in order; a duplicate key is an error, as
/// serde_yaml's), sequences arrays, and plain scalars are typed by the YAML 1.2 core schema (null, booleans, integers,
/// floats, else strings); quoted scalars stay strings. Aliases are expanded. Only the first document is read.
/// </summary>
public static partial class TreefileYaml
{
    public static JsonObject Read(string path)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new PungiException(ErrorCodes.OstreeTreefileInvalid, $"Treefile {path} is not valid YAML: {e.Message}", path,
                (int)e.Start.Line, (int)e.Start.Column);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new PungiException(ErrorCodes.OstreeTreefileInvalid, $"Treefile {path}: the top level is not a mapping.", path);
        return (JsonObject)Convert(root, path)!;
    }

    private static JsonNode? Convert(YamlNode node, string path)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var o = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    if (k is not YamlScalarNode { Value: { } key })
                        throw new PungiException(ErrorCodes.OstreeTreefileInvalid, $"Treefile {path}: a mapping key is not a scalar.", path, (int)k.Start.Line, (int)k.Start.Column);
                    if (o.ContainsKey(key))
                        throw new PungiException(ErrorCodes.OstreeTreefileInvalid, $"Treefile {path}: duplicate key '{key}'.", path, (int)k.Start.Line, (int)k.Start.Column);
                    o[key] = Convert(v, path);
                }
                return o;
            case YamlSequenceNode seq:
                return new JsonArray(seq.Children.Select(c => Convert(c, path)).ToArray());
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new PungiException(ErrorCodes.OstreeTreefileInvalid, $"Treefile {path}: unsupported YAML node {node.NodeType}.", path, (int)node.Start.Line, (int)node.Start.Column);
        }
    }

    /// <summary>The YAML 1.2 core schema's tag resolution for plain scalars; everything quoted or tagged !!str is a string.</summary>
    private static JsonNode? Scalar(YamlScalarNode s)
    {
        var v = s.Value ?? "";
        if (s.Style != YamlDotNet.Core.ScalarStyle.Plain || (!s.Tag.IsEmpty && !s.Tag.IsNonSpecific && s.Tag.Value == "tag:yaml.org,2002:str")) return JsonValue.Create(v);
        if (v is "" or "~" or "null" or "Null" or "NULL") return null;
        if (v is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (v is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (Int().IsMatch(v) && long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)) return JsonValue.Create(i);
        if (v.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(v[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var h)) return JsonValue.Create(h);
        if (Float().IsMatch(v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return JsonValue.Create(d);
        return JsonValue.Create(v);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Int();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Float();
}
