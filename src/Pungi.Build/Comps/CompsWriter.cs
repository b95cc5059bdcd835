using System.Globalization;
using System.Text;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Comps;

/// <summary>
/// Writes comps as Pungi's <c>CompsWrapper.generate_comps</c> + <c>toprettyxml(indent="  ", encoding="UTF-8")</c>
/// does (spec §4.3): regenerated from the libcomps view, groups and environments sorted by id, categories in input
/// order, minidom's layout (its three-line DOCTYPE, <c>&lt;x/&gt;</c> for empty elements, attributes in insertion
/// order, <c>&amp; &lt; &quot; &gt;</c> escaped in text and attributes as Python up to 3.12 does).
/// </summary>
public static class CompsWriter
{
    private const string Header =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
        "<!DOCTYPE comps\n  PUBLIC '-//Red Hat, Inc.//DTD Comps info//EN'\n  'comps.dtd'>\n";

    public static byte[] Write(CompsModel comps) => new UTF8Encoding(false).GetBytes(WriteString(comps));

    /// <exception cref="PungiException">PUNGI1106 for a package of unknown type (upstream raises too).</exception>
    public static string WriteString(CompsModel comps)
    {
        var root = new Node("comps");
        var groupIds = new HashSet<string>(comps.Groups.Select(g => g.Id), StringComparer.Ordinal);

        foreach (var group in comps.Groups.OrderBy(g => g.Id, StringComparer.Ordinal))
        {
            var node = root.Add("group");
            AppendCommon(node, group, forceDescription: true);
            node.Add("default", group.Default ? "true" : "false");
            node.Add("uservisible", group.UserVisible ? "true" : "false");
            if (!string.IsNullOrEmpty(group.LangOnly))
                node.Add("langonly", group.LangOnly);
            var list = node.Add("packagelist");
            foreach (var package in group.Packages)
                if (package.Type == CompsPackageType.Unknown)
                    throw new PungiException(ErrorCodes.CompsUnknownPackageType,
                        $"Failed to process comps file. Package {package.Name} in group {group.Id} has unknown type (use mandatory, default, optional or conditional)",
                        comps.File, package.Line);
            foreach (var type in new[] { CompsPackageType.Mandatory, CompsPackageType.Default, CompsPackageType.Optional, CompsPackageType.Conditional })
            {
                foreach (var package in group.Packages.Where(p => p.Type == type).OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    var req = list.Add("packagereq", package.Name);
                    // minidom receives the attributes sorted by name: requires before type.
                    if (type == CompsPackageType.Conditional)
                        req.Attr("requires", package.Requires);
                    req.Attr("type", package.TypeName);
                }
            }
        }

        foreach (var category in comps.Categories)
        {
            var ids = category.GroupIds.Where(g => groupIds.Contains(g.Name)).Distinct().ToList();
            if (ids.Count == 0)
                continue;
            var node = root.Add("category");
            AppendCommon(node, category, forceDescription: false);
            if (category.DisplayOrder is { } order)
                node.Add("display_order", order.ToString(CultureInfo.InvariantCulture));
            AppendGroupList(node, ids, "grouplist");
        }

        // Environment group lists are not re-checked against the groups left (upstream quirk, spec §4.3).
        foreach (var environment in comps.Environments.OrderBy(e => e.Id, StringComparer.Ordinal))
        {
            var ids = environment.GroupIds.Distinct().ToList();
            if (ids.Count == 0)
                continue;
            var node = root.Add("environment");
            AppendCommon(node, environment, forceDescription: false);
            if (environment.DisplayOrder is { } order)
                node.Add("display_order", order.ToString(CultureInfo.InvariantCulture));
            AppendGroupList(node, ids, "grouplist");
            var options = environment.OptionIds.Distinct().ToList();
            if (options.Count > 0)
                AppendGroupList(node, options, "optionlist");
        }

        if (comps.Langpacks.Count > 0)
        {
            var node = root.Add("langpacks");
            foreach (var (name, install) in comps.Langpacks.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                node.Add("match").Attr("install", install).Attr("name", name);
        }

        var sb = new StringBuilder(64 * 1024).Append(Header);
        root.Write(sb, "");
        return sb.ToString();
    }

    private static void AppendCommon(Node parent, CompsItem item, bool forceDescription)
    {
        parent.Add("id", item.Id);
        parent.Add("name", item.Name);
        foreach (var (lang, text) in item.NameByLang.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            parent.Add("name", text).Attr("xml:lang", lang);
        if (!string.IsNullOrEmpty(item.Description) || forceDescription)
        {
            parent.Add("description", item.Description);
            foreach (var (lang, text) in item.DescriptionByLang.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                parent.Add("description", text).Attr("xml:lang", lang);
        }
    }

    private static void AppendGroupList(Node parent, IEnumerable<CompsGroupId> ids, string element)
    {
        var list = parent.Add(element);
        // Python's sorted() is stable: equal names keep their order.
        foreach (var id in ids.OrderBy(g => g.Name, StringComparer.Ordinal))
        {
            var node = list.Add("groupid", id.Name);
            if (id.Default)
                node.Attr("default", "true");
        }
    }

    /// <summary>A minimal DOM node written the way minidom's <c>Element.writexml</c> writes (Python 3.8+).</summary>
    private sealed class Node(string name, string? text = null)
    {
        private readonly List<(string Name, string Value)> _attributes = [];
        private readonly List<Node> _children = [];

        public Node Add(string childName, string? childText = null)
        {
            var child = new Node(childName, string.IsNullOrEmpty(childText) ? null : childText);
            _children.Add(child);
            return child;
        }

        public Node Attr(string attrName, string? value)
        {
            _attributes.Add((attrName, value ?? ""));
            return this;
        }

        public void Write(StringBuilder sb, string indent)
        {
            sb.Append(indent).Append('<').Append(name);
            foreach (var (n, v) in _attributes)
            {
                sb.Append(' ').Append(n).Append("=\"");
                Escape(sb, v);
                sb.Append('"');
            }
            if (text is not null)
            {
                sb.Append('>');
                Escape(sb, text);
                sb.Append("</").Append(name).Append(">\n");
            }
            else if (_children.Count > 0)
            {
                sb.Append(">\n");
                foreach (var child in _children)
                    child.Write(sb, indent + "  ");
                sb.Append(indent).Append("</").Append(name).Append(">\n");
            }
            else
            {
                sb.Append("/>\n");
            }
        }

        private static void Escape(StringBuilder sb, string s)
        {
            foreach (var c in s)
            {
                switch (c)
                {
                    case '&': sb.Append("&amp;"); break;
                    case '<': sb.Append("&lt;"); break;
                    case '"': sb.Append("&quot;"); break;
                    case '>': sb.Append("&gt;"); break;
                    default: sb.Append(c); break;
                }
            }
        }
    }
}
