using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Pungi.Build.ProjectSchema;

namespace Pungi.Build.Tests.ProjectSchema;

/// <summary>
/// The schema is the one source of truth: the committed XSD, reference and Validate.targets are exactly what it
/// generates (run with PUNGI_UPDATE_SCHEMA=1 to rewrite them), its defaults are the SDK's, and it names every property
/// and item the targets hand to the tasks — so the editor, the docs and Validate never disagree with what runs.
/// </summary>
public sealed class SchemaFilesTests
{
    public static TheoryData<string> GeneratedFiles => new() { "targets/Pungi.Build.xsd", "docs/properties.md", "targets/Phases/Validate.targets" };

    private static string Generate(string relative) => relative switch
    {
        "targets/Pungi.Build.xsd" => SchemaWriters.Xsd(),
        "docs/properties.md" => SchemaWriters.Markdown(),
        "targets/Phases/Validate.targets" => SchemaWriters.ValidateTargets(),
        _ => throw new ArgumentException(relative),
    };

    [Theory]
    [MemberData(nameof(GeneratedFiles))]
    public void GeneratedFile_IsUpToDate(string relative)
    {
        var path = Path.Combine(TestPaths.RepoRoot, relative);
        var expected = Generate(relative);
        if (Environment.GetEnvironmentVariable("PUNGI_UPDATE_SCHEMA") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
        }
        Assert.True(File.Exists(path), $"{relative} is missing: run the tests with PUNGI_UPDATE_SCHEMA=1");
        Assert.True(expected == File.ReadAllText(path), $"{relative} differs from the schema: run the tests with PUNGI_UPDATE_SCHEMA=1");
    }

    /// <summary>Every `<X Condition="'$(X)' == ''">v</X>` of the SDK files is the schema's default of X, and back.</summary>
    [Fact]
    public void Defaults_MatchTheSdkProps()
    {
        var assigned = new Dictionary<string, string>();
        foreach (var file in SdkFiles())
            foreach (var e in XDocument.Load(file).Descendants())
            {
                var cond = (string?)e.Attribute("Condition");
                if (e.Parent?.Name.LocalName == "PropertyGroup" && cond != null && cond.Replace(" ", "") == $"'$({e.Name.LocalName})'==''")
                    assigned[e.Name.LocalName] = e.Value;
            }
        foreach (var p in ComposeprojSchema.Properties)
        {
            if (p.DefaultInProps)
            {
                Assert.True(assigned.TryGetValue(p.Name, out var v), $"{p.Name}: the schema says its default is set in the SDK files, but it is not");
                Assert.Equal(p.Default, v);
            }
            else
            {
                Assert.False(assigned.ContainsKey(p.Name), $"{p.Name} has a default in the SDK files; mark it DefaultInProps in the schema");
            }
        }
    }

    /// <summary>What the targets hand to tasks (`$(X)`, `@(X)`) is in the schema, and every schema entry is read somewhere.</summary>
    [Fact]
    public void Schema_CoversWhatTheTargetsRead()
    {
        var text = string.Join("\n", SdkFiles().Where(f => !f.EndsWith("Validate.targets", StringComparison.Ordinal)).Select(File.ReadAllText));
        var props = Regex.Matches(text, @"\$\(([A-Za-z][A-Za-z0-9_]*)\)").Select(m => m.Groups[1].Value).ToHashSet();
        var items = Regex.Matches(text, @"@\(([A-Za-z][A-Za-z0-9_]*)").Select(m => m.Groups[1].Value).ToHashSet();
        string[] notComposeSettings = ["Arch", "Variant", "VariantParent", "ComposeTopDir", "ComposeId", "DesignTimeBuild", "DefaultProjectTypeGuid", "SOURCE_DATE_EPOCH"];
        var userProps = props.Where(p => !p.StartsWith("Pungi", StringComparison.Ordinal) && !p.StartsWith("MSBuild", StringComparison.Ordinal)
                                         && !p.StartsWith("Custom", StringComparison.Ordinal) && !notComposeSettings.Contains(p));
        foreach (var p in userProps)
            Assert.True(ComposeprojSchema.FindProperty(p) != null, $"the targets read $({p}) but the schema does not describe it");
        foreach (var p in ComposeprojSchema.Properties)
            Assert.True(props.Contains(p.Name), $"the schema describes {p.Name} but no target reads it");
        foreach (var i in items.Where(i => !i.StartsWith('_')))
            Assert.True(ComposeprojSchema.FindItem(i) != null, $"the targets read @({i}) but the schema does not describe it");
        foreach (var i in ComposeprojSchema.Items)
            Assert.True(items.Contains(i.Name), $"the schema describes item {i.Name} but no target reads it");
    }

    /// <summary>Every choice has its values, and every code the schema raises is in the registry.</summary>
    [Fact]
    public void EveryChoice_HasItsCode()
    {
        foreach (var p in ComposeprojSchema.Properties.Where(p => p.Kind is ValueKind.Choice or ValueKind.ChoiceList))
            Assert.True(p.Values is { Count: > 0 }, $"{p.Name} has no allowed values");
        var codes = typeof(Diagnostics.ErrorCodes).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet();
        foreach (var c in ComposeprojSchema.Properties.Select(p => p.Code).Concat(ComposeprojSchema.Items.Select(i => i.IncludeCode)).OfType<string>())
            Assert.Contains(c, codes);
    }

    [Fact]
    public void Xsd_AcceptsTheSample_AndRejectsBadValues()
    {
        var schemas = new XmlSchemaSet();
        schemas.Add(null, Path.Combine(TestPaths.RepoRoot, "targets", "Pungi.Build.xsd"));
        Assert.Empty(Validate(schemas, File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "samples", "dummy-product", "dummy-product.composeproj"))));
        // MSBuild expressions are known only after evaluation and always pass.
        Assert.Empty(Validate(schemas, "<Project><PropertyGroup><CheckDeps>$(Strict)</CheckDeps><MyOwn>x</MyOwn></PropertyGroup></Project>"));

        var bad = Validate(schemas, "<Project><PropertyGroup>\n<ComposeType>weekly</ComposeType>\n<CheckDeps>yes</CheckDeps>\n<IsoLevel>9</IsoLevel>\n</PropertyGroup>"
                                    + "<ItemGroup>\n<Multilib Include=\"devel\" Arch=\"x86_64\" />\n<RepoclosureStrictness Include=\"strict\" />\n</ItemGroup></Project>");
        Assert.Equal([2, 3, 4, 7], bad.Select(e => e.LineNumber).Distinct().Order().ToArray());
    }

    [SkippableFact]
    public void Xmllint_ValidatesTheSample()
    {
        Interop.RequireTool("xmllint");
        var xsd = Path.Combine(TestPaths.RepoRoot, "targets", "Pungi.Build.xsd");
        Interop.Run("xmllint", "--noout", "--schema", xsd, Path.Combine(TestPaths.RepoRoot, "samples", "dummy-product", "dummy-product.composeproj"));
        var bad = Path.Combine(Path.GetTempPath(), $"pungi-xsd-{Guid.NewGuid():N}.composeproj");
        File.WriteAllText(bad, "<Project><PropertyGroup><LinkType>hardlinks</LinkType></PropertyGroup></Project>");
        try
        {
            Assert.Throws<InvalidOperationException>(() => Interop.Run("xmllint", "--noout", "--schema", xsd, bad));
        }
        finally
        {
            File.Delete(bad);
        }
    }

    private static List<XmlSchemaException> Validate(XmlSchemaSet schemas, string xml)
    {
        var errors = new List<XmlSchemaException>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
        settings.ValidationEventHandler += (_, e) => errors.Add(e.Exception);
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        while (reader.Read()) { }
        return errors;
    }

    private static IEnumerable<string> SdkFiles()
        => new[] { Path.Combine(TestPaths.RepoRoot, "targets", "Pungi.Build.props"), Path.Combine(TestPaths.RepoRoot, "targets", "Pungi.Build.targets") }
            .Concat(Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "targets", "Phases"), "*.targets").Order(StringComparer.Ordinal));
}
