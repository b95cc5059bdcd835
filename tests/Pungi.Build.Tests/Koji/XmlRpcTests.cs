using System.Text;
using Pungi.Build.Diagnostics;
using Pungi.Build.Koji;
using Xunit;

namespace Pungi.Build.Tests.Koji;

public class XmlRpcTests
{
    public static TheoryData<string, object?> Values() => new()
    {
        { "nil", null },
        { "true", true },
        { "false", false },
        { "int", -7 },
        { "int max", int.MaxValue },
        { "int min", int.MinValue },
        { "i8 just above int", (long)int.MaxValue + 1 },
        { "i8 negative", -(1L << 35) },
        { "i8 max", long.MaxValue },
        { "double", 1.5 },
        { "double tiny", 1.5e-5 },
        { "double huge", 1e22 },
        { "string empty", "" },
        { "string markup", "a<b>&c ]]> \"q\" 'a'" },
        { "string unicode", "ünï — 漢字 🙂" },
        { "string whitespace", "  lead\n\ttrail  " },
        { "dateTime", new DateTime(2026, 11, 27, 16, 53, 8) },
        { "base64 empty", Array.Empty<byte>() },
        { "base64 long", Enumerable.Range(0, 200).Select(i => (byte)i).ToArray() },
        { "array", new List<object?> { 1, null, "x", new List<object?>(), new List<object?> { null } } },
        { "struct", new Dictionary<string, object?> { [""] = 1, ["tag.name"] = "f41", ["session-id"] = null, ["nested"] = new Dictionary<string, object?> { ["big"] = 1L << 33 } } },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void EveryValueTypeRoundTripsThroughResponseAndCall(string what, object? value)
    {
        var resp = XmlRpcReader.ReadResponse(XmlRpcWriter.Response(value));
        Assert.Null(resp.Fault);
        Assert.True(KojiTranscripts.DeepEqual(Normalize(value), resp.Value), what);
        var call = XmlRpcReader.ReadCall(XmlRpcWriter.Call("echo", [value, value]));
        Assert.Equal("echo", call.MethodName);
        Assert.Equal(2, call.Params.Count);
        Assert.True(KojiTranscripts.DeepEqual(Normalize(value), call.Params[1]), what);
    }

    private static object? Normalize(object? v) => v; // the writer and reader use the same .NET shapes

    [Fact]
    public void IntegersUseI8OnlyOutsideThe32BitRange()
    {
        // koji's ExtendedMarshaller (transcript 41): <int> up to 2^31-1, <i8> beyond
        Assert.Equal("<value><int>2147483647</int></value>\n", XmlRpcWriter.Value(2147483647L));
        Assert.Equal("<value><i8>2147483648</i8></value>\n", XmlRpcWriter.Value(2147483648L));
        Assert.Equal("<value><i8>-2147483649</i8></value>\n", XmlRpcWriter.Value(-2147483649L));
        Assert.Equal("<value><nil/></value>", XmlRpcWriter.Value(null)); // no newline after nil, as Python writes it
        Assert.IsType<int>(XmlRpcReader.ReadResponse(XmlRpcWriter.Response(5L)).Value);
        Assert.IsType<long>(XmlRpcReader.ReadResponse(XmlRpcWriter.Response(1L << 40)).Value);
    }

    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(1.0, "1.0")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.0, "0.0")]
    [InlineData(1795798403.932054, "1795798403.932054")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1.5e-05, "1.5e-05")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e22, "1e+22")]
    [InlineData(123456789012345.6, "123456789012345.6")]
    [InlineData(0.1, "0.1")]
    public void DoublesAreWrittenAsPythonReprWritesThem(double d, string python)
        => Assert.Equal(python, XmlRpcWriter.PythonRepr(d));

    [Fact]
    public void UntypedValuesAreStringsAndI4IsInt()
    {
        var r = XmlRpcReader.ReadResponse("<?xml version='1.0'?><methodResponse><params><param><value><array><data>" +
            "<value>plain text</value><value/><value><i4>12</i4></value><value><string/></value><value>  </value>" +
            "</data></array></value></param></params></methodResponse>");
        var list = Assert.IsType<List<object?>>(r.Value);
        Assert.Equal(new object?[] { "plain text", "", 12, "", "  " }, list.ToArray());
    }

    /// <summary>
    /// The wire truth: every recorded request and response, decoded and written again by our writer, is the same
    /// bytes the real koji client and hub produced (Python's xmlrpc marshaller with koji's i8 extension).
    /// </summary>
    [Fact]
    public void EveryRecordedExchangeReencodesByteForByte()
    {
        Assert.True(KojiTranscripts.Pairs.Count >= 70);
        foreach (var t in KojiTranscripts.Pairs)
        {
            Assert.True(t.RequestXml == XmlRpcWriter.Call(t.Call.MethodName, t.Call.Params), $"request {t.Name}");
            var again = t.Response.Fault is { } f ? XmlRpcWriter.Fault(f.Code, f.Message) : XmlRpcWriter.Response(t.Response.Value);
            Assert.True(t.ResponseXml == again, $"response {t.Name}");
        }
    }

    [Fact]
    public void DtdAndEntitiesAreRefused()
    {
        const string bomb = "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;'>]>" +
            "<methodResponse><params><param><value><string>&b;</string></value></param></params></methodResponse>";
        var e = Assert.Throws<PungiException>(() => XmlRpcReader.ReadResponse(bomb));
        Assert.Equal(ErrorCodes.KojiBadResponse, e.Code);
    }

    [Fact]
    public void SizeAndDepthAreBounded()
    {
        var big = XmlRpcWriter.Response(new string('x', 10_000));
        var e = Assert.Throws<PungiException>(() => XmlRpcReader.ReadResponse(new MemoryStream(Encoding.UTF8.GetBytes(big)), maxChars: 1000));
        Assert.Equal(ErrorCodes.KojiBadResponse, e.Code);

        var deep = new StringBuilder("<?xml version='1.0'?><methodResponse><params><param>");
        for (var i = 0; i < 500; i++) deep.Append("<value><array><data>");
        for (var i = 0; i < 500; i++) deep.Append("</data></array></value>");
        deep.Append("</param></params></methodResponse>");
        e = Assert.Throws<PungiException>(() => XmlRpcReader.ReadResponse(deep.ToString()));
        Assert.Contains("nested deeper", e.Message);
    }

    [Theory]
    [InlineData("<methodResponse><params><param><value><float>1</float></value></param></params></methodResponse>")]
    [InlineData("<methodResponse><params><param><value><int>x1</int></value></param></params></methodResponse>")]
    [InlineData("<methodResponse><params><param><value><boolean>2</boolean></value></param></params></methodResponse>")]
    [InlineData("<methodResponse><params><param><value><struct><member><value><int>1</int></value></member></struct></value></param></params></methodResponse>")]
    [InlineData("<methodResponse><params>")]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    public void MalformedDocumentsGiveACodedError(string xml)
    {
        var e = Assert.Throws<PungiException>(() => XmlRpcReader.ReadResponse(xml));
        Assert.Equal(ErrorCodes.KojiBadResponse, e.Code);
    }

    [Fact]
    public void ValuesThatXmlRpcCannotCarryAreRefused()
    {
        var e = Assert.Throws<PungiException>(() => XmlRpcWriter.Call("x", [new object()]));
        Assert.Equal(ErrorCodes.KojiValueUnsupported, e.Code);
        e = Assert.Throws<PungiException>(() => XmlRpcWriter.Call("x", [ulong.MaxValue]));
        Assert.Equal(ErrorCodes.KojiValueUnsupported, e.Code);
    }
}
