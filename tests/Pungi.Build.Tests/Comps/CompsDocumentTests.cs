using System.Text;
using System.Xml.Linq;
using Pungi.Build.Comps;
using Pungi.Build.Diagnostics;
using Xunit;

namespace Pungi.Build.Tests.Comps;

public class CompsDocumentTests
{
    [Fact]
    public void MalformedXml_IsPungi1101WithFileAndLine()
    {
        var e = Assert.Throws<PungiException>(() => CompsDocument.Parse("<comps>\n  <group>\n    <id>x</id>\n  </grup>\n</comps>", "broken.xml"));
        Assert.Equal(ErrorCodes.CompsMalformedXml, e.Code);
        Assert.Equal("broken.xml", e.File);
        Assert.Equal(4, e.Line);
    }

    [Fact]
    public void MissingFile_IsPungi1101()
    {
        var e = Assert.Throws<PungiException>(() => CompsDocument.Load("/nonexistent/comps.xml"));
        Assert.Equal(ErrorCodes.CompsMalformedXml, e.Code);
    }

    [Fact]
    public void WrongRoot_IsPungi1102()
    {
        var e = Assert.Throws<PungiException>(() => CompsDocument.Parse("<?xml version=\"1.0\"?>\n<variants/>", "v.xml"));
        Assert.Equal(ErrorCodes.CompsNotComps, e.Code);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void GroupWithoutId_IsPungi1104()
    {
        var e = Assert.Throws<PungiException>(() => CompsModel.FromDocument(CompsDocument.Parse("<comps>\n<group><name>x</name></group></comps>", "n.xml")));
        Assert.Equal(ErrorCodes.CompsMissingId, e.Code);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void BadDisplayOrder_IsPungi1109()
    {
        var e = Assert.Throws<PungiException>(() => CompsModel.FromDocument(CompsDocument.Parse("<comps><environment><id>e</id>\n<display_order>soon</display_order></environment></comps>", "d.xml")));
        Assert.Equal(ErrorCodes.CompsBadValue, e.Code);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void InitStep2_PackageNameWithWhitespace_IsAnErrorListingAll()
    {
        var doc = CompsDocument.Parse("<comps>\n<group><id>g</id><packagelist>\n<packagereq> bad</packagereq>\n<packagereq>ok</packagereq>\n<packagereq>worse </packagereq></packagelist></group></comps>", "w.xml");
        var e = Assert.Throws<PungiException>(() => CompsModel.FromDocument(doc).ValidatePackageNames());
        Assert.Equal(ErrorCodes.CompsPackageWhitespace, e.Code);
        Assert.Equal(3, e.Line);
        Assert.Contains("Package name bad in group 'g' contains leading or trailing whitespace", e.Message);
        Assert.Contains("Package name worse in group 'g'", e.Message);
    }

    [Fact]
    public void FedoraXmlIn_UnderscoreFieldsReadAsNameAndDescription()
    {
        const string source = """
            <comps>
              <group>
                <id>admin-tools</id>
                <_name>Administration Tools</_name>
                <_description>Graphical administration tools</_description>
                <packagelist><packagereq>abrt-desktop</packagereq></packagelist>
              </group>
            </comps>
            """;
        var doc = CompsDocument.Parse(source, "comps-f40.xml.in");
        Assert.True(doc.IsTranslationSource);
        var group = CompsModel.FromDocument(doc).Groups.Single();
        Assert.Equal("Administration Tools", group.Name);
        Assert.Equal("Graphical administration tools", group.Description);
        Assert.Contains("<name>Administration Tools</name>", Encoding.UTF8.GetString(doc.ToBytes()));
        Assert.False(CompsDocument.Parse("<comps/>").IsTranslationSource);
    }

    [Fact]
    public void Writes_AsLxmlPrettyPrintPlusUpstreamNewline()
    {
        // Expected bytes worked out from lxml/libxml2's rules: single-quoted declaration, doctype kept, blank text
        // between elements dropped and re-indented by two spaces, whitespace-only content kept, an element that
        // contains text is not re-indented inside, empty elements self-close, '>' escaped in text, '"' and a
        // newline escaped in attributes, comments kept on their own line, one extra newline at the end.
        const string input = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
            "<!DOCTYPE comps PUBLIC \"-//Red Hat, Inc.//DTD Comps info//EN\" \"comps.dtd\">\n" +
            "<comps>\n\n  <!-- GROUPS -->\n  <group>\n      <id>a</id>\n    <name>A &gt; B \"q\" ü</name>\n" +
            "    <mixed>t<b/> <c/></mixed>\n    <optionlist>\n    </optionlist>\n    <e></e>\n" +
            "    <x note=\"a&quot;b&#10;c\"/>\n  </group>\n</comps>\n";
        const string expected = "<?xml version='1.0' encoding='UTF-8'?>\n" +
            "<!DOCTYPE comps PUBLIC \"-//Red Hat, Inc.//DTD Comps info//EN\" \"comps.dtd\">\n" +
            "<comps>\n  <!-- GROUPS -->\n  <group>\n    <id>a</id>\n    <name>A &gt; B \"q\" ü</name>\n" +
            "    <mixed>t<b/> <c/></mixed>\n    <optionlist>\n    </optionlist>\n    <e/>\n" +
            "    <x note=\"a&quot;b&#10;c\"/>\n  </group>\n</comps>\n\n";
        Assert.Equal(expected, Encoding.UTF8.GetString(CompsDocument.Parse(input).ToBytes()));
    }

    [Fact]
    public void NoReindent_KeepsTheFilesOwnLayout()
    {
        const string input = "<comps>\n  <group><id>a</id>\n  </group>\n</comps>";
        var bytes = CompsDocument.Parse(input, removeBlankText: false).ToBytes(prettyPrint: false);
        Assert.Equal("<?xml version='1.0' encoding='UTF-8'?>\n" + input + "\n", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void ParseWriteParse_IsEqual_AndWriteIsAFixedPoint()
    {
        var path = Path.Combine(TestPaths.Fixtures, "pungi-dummy", "dummy-comps.xml");
        var doc = CompsDocument.Load(path);
        var once = doc.ToBytes();
        var again = CompsDocument.Parse(Encoding.UTF8.GetString(once));
        Assert.True(XNode.DeepEquals(doc.Root, again.Root));
        Assert.Equal(once, again.ToBytes());
    }
}
