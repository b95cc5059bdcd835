using System.Xml;
using System.Xml.Linq;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Comps;

/// <summary>
/// A comps file as XML, kept whole: every element, attribute, comment and <c>xml:lang</c> translation survives, so
/// the XML-level filter (<see cref="CompsFilter"/>, upstream's <c>comps_filter</c>) can drop what it must and write
/// back the rest, as upstream's lxml-based tool does. Elements carry the line they came from for error messages.
/// </summary>
public sealed class CompsDocument
{
    private CompsDocument(XDocument xml, string? file, bool translationSource)
    {
        Xml = xml;
        File = file;
        IsTranslationSource = translationSource;
    }

    /// <summary>The XML tree. Mutating it is allowed; <see cref="CompsFilter"/> works on a copy.</summary>
    public XDocument Xml { get; }

    /// <summary>The file the document was read from (for diagnostics), or the name given to <see cref="Parse"/>.</summary>
    public string? File { get; }

    /// <summary>True when the input was a Fedora <c>comps-*.xml.in</c> source whose <c>_name</c>/<c>_description</c>
    /// fields were turned into <c>name</c>/<c>description</c> on load.</summary>
    public bool IsTranslationSource { get; }

    public XElement Root => Xml.Root!;

    public IEnumerable<XElement> Groups => Root.Elements("group");

    public IEnumerable<XElement> Categories => Root.Elements("category");

    public IEnumerable<XElement> Environments => Root.Elements("environment");

    /// <summary>Reads a comps file (plain or <c>.xml.in</c>). Blank text between elements is dropped the way lxml's
    /// <c>remove_blank_text</c> parser drops it, which is what upstream's <c>comps_filter</c> does unless
    /// <c>--no-reindent</c>; pass <paramref name="removeBlankText"/> false to keep the file's own layout.</summary>
    public static CompsDocument Load(string path, bool removeBlankText = true)
    {
        Stream stream;
        try
        {
            stream = System.IO.File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PungiException(ErrorCodes.CompsMalformedXml, $"Cannot read comps file: {e.Message}", path);
        }
        using (stream)
            return Load(stream, path, removeBlankText);
    }

    /// <summary>Parses comps XML from text; <paramref name="fileName"/> is only used in messages.</summary>
    public static CompsDocument Parse(string text, string? fileName = null, bool removeBlankText = true)
    {
        using var reader = new StringReader(text);
        return Load(XmlReader.Create(reader, ReaderSettings()), fileName, removeBlankText);
    }

    public static CompsDocument Load(Stream stream, string? fileName, bool removeBlankText = true)
        => Load(XmlReader.Create(stream, ReaderSettings()), fileName, removeBlankText);

    private static XmlReaderSettings ReaderSettings() => new()
    {
        // Keep the DOCTYPE node (it is written back) but never fetch comps.dtd.
        DtdProcessing = DtdProcessing.Parse,
        XmlResolver = null,
        IgnoreWhitespace = false,
        CloseInput = false,
    };

    private static CompsDocument Load(XmlReader reader, string? fileName, bool removeBlankText)
    {
        XDocument xml;
        try
        {
            using (reader)
                xml = XDocument.Load(reader, LoadOptions.SetLineInfo | LoadOptions.PreserveWhitespace);
        }
        catch (XmlException e)
        {
            throw new PungiException(ErrorCodes.CompsMalformedXml, $"Comps file is not well-formed XML: {e.Message}", fileName, e.LineNumber, e.LinePosition);
        }

        if (xml.Root is null || xml.Root.Name != "comps")
        {
            var line = xml.Root is IXmlLineInfo li ? li.LineNumber : 0;
            throw new PungiException(ErrorCodes.CompsNotComps, $"The root element is <{xml.Root?.Name}>, a comps file has <comps>.", fileName, line);
        }

        // Our own line annotation survives the copies the filter makes (XLinq's own line info does not).
        foreach (var e in xml.Descendants())
        {
            var li = (IXmlLineInfo)e;
            e.AddAnnotation(new SourceLine(li.LineNumber, li.LinePosition));
        }

        // Fedora's comps-*.xml.in mark translatable fields with a leading underscore (intltool); the merged file that
        // tools read has the plain names. Pungi is fed the merged file, so we do the same rename here.
        bool translationSource = false;
        foreach (var e in xml.Root.Descendants().Where(e => e.Name.Namespace == XNamespace.None && e.Name.LocalName.Length > 1 && e.Name.LocalName[0] == '_').ToList())
        {
            e.Name = e.Name.LocalName[1..];
            translationSource = true;
        }

        if (removeBlankText)
            RemoveBlankText(xml);

        return new CompsDocument(xml, fileName, translationSource);
    }

    /// <summary>A deep copy that keeps the source line of every element.</summary>
    public CompsDocument Clone()
    {
        var copy = new XDocument(Xml.Declaration is null ? null : new XDeclaration(Xml.Declaration));
        foreach (var node in Xml.Nodes())
            copy.Add(CopyNode(node));
        return new CompsDocument(copy, File, IsTranslationSource);
    }

    private static XNode CopyNode(XNode node)
    {
        if (node is not XElement e)
            return node switch
            {
                XCData c => new XCData(c.Value),
                XText t => new XText(t.Value),
                XComment c => new XComment(c.Value),
                XProcessingInstruction p => new XProcessingInstruction(p.Target, p.Data),
                XDocumentType d => new XDocumentType(d.Name, d.PublicId, d.SystemId, d.InternalSubset),
                _ => throw new InvalidOperationException($"Unexpected XML node {node.NodeType}"),
            };
        var copy = new XElement(e.Name, e.Attributes().Select(a => new XAttribute(a)));
        if (e.Annotation<SourceLine>() is { } line)
            copy.AddAnnotation(line);
        if (e.IsEmpty)
            return copy;
        if (!e.Nodes().Any())
            copy.Value = "";
        foreach (var child in e.Nodes())
            copy.Add(CopyNode(child));
        return copy;
    }

    /// <summary>The line an element was read from (0 when it was created in code).</summary>
    public static int LineOf(XElement? element) => element?.Annotation<SourceLine>()?.Line ?? 0;

    public static int ColumnOf(XElement? element) => element?.Annotation<SourceLine>()?.Column ?? 0;

    /// <summary>The serialisation upstream's <c>comps_filter</c> writes (lxml: single-quoted declaration, pretty
    /// printed with two spaces, then one more newline).</summary>
    public byte[] ToBytes(bool prettyPrint = true) => LxmlStyleWriter.Write(Xml, prettyPrint);

    /// <summary>
    /// libxml2's blank-text rule (<c>areBlanks</c>, used by lxml's <c>remove_blank_text</c>) without a DTD: a
    /// whitespace-only text node is ignorable unless it is the element's only content, follows text, or the element
    /// starts with text (mixed content). Applied in document order as the parser would.
    /// </summary>
    private static void RemoveBlankText(XDocument xml)
    {
        foreach (var element in xml.Root!.DescendantsAndSelf().ToList())
        {
            XNode? kept = null; // last node kept so far (the parser's lastChild)
            XNode? first = null;
            foreach (var node in element.Nodes().ToList())
            {
                bool remove = false;
                if (node is XText text && node is not XCData && string.IsNullOrWhiteSpace(text.Value) && IsXmlBlank(text.Value))
                {
                    bool onlyContent = kept is null && node.NextNode is null;
                    bool afterText = kept is XText;
                    bool mixed = first is XText;
                    remove = !onlyContent && !afterText && !mixed && !PreservesSpace(element);
                }
                if (remove)
                {
                    node.Remove();
                    continue;
                }
                kept = node;
                first ??= node;
            }
        }
    }

    private static bool IsXmlBlank(string s)
    {
        foreach (var c in s)
            if (c is not (' ' or '\t' or '\n' or '\r'))
                return false;
        return true;
    }

    private static bool PreservesSpace(XElement element)
    {
        for (var e = element; e != null; e = e.Parent)
            if (e.Attribute(XNamespace.Xml + "space") is { } space)
                return space.Value == "preserve";
        return false;
    }

    private sealed record SourceLine(int Line, int Column);
}
