using System.Numerics;
using Pungi.Build.Diagnostics;
using Pungi.Build.PungiConfig;

namespace Pungi.Build.Tests.Import;

/// <summary>
/// kobo's PyConfigParser language (upstream format.rst; kobo/conf.py): values, references, formatting, imports, and
/// where kobo and Python disagree. Expected values are Python's (or kobo's) reading of the text, worked out by hand.
/// </summary>
public sealed class ConfigReaderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pungi-import-tests", Guid.NewGuid().ToString("N")[..8]);

    public ConfigReaderTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private PungiConfigFile Read(string text, string name = "pungi.conf") => PungiConfigReader.ReadText(text, Path.Combine(_dir, name));

    private static PyValue V(PungiConfigFile c, string name) => c[name]?.Value ?? throw new KeyNotFoundException(name);

    private PungiException Fails(string text, string code, int line, int col, string name = "pungi.conf")
    {
        var e = Assert.Throws<PungiException>(() => Read(text, name));
        Assert.Equal(code, e.Code);
        Assert.Equal((line, col), (e.Line, e.Column));
        Assert.EndsWith(name, e.File);
        return e;
    }

    [Fact]
    public void Strings_SingleDoubleAndTripleQuotes()
    {
        var c = Read("a = 'one'\nb = \"two\"\nc = '''thr\"ee\nlines'''\nd = \"\"\"x'y\"\"\"\ne = ''\n");
        Assert.Equal("one", ((PyStr)V(c, "a")).Value);
        Assert.Equal("two", ((PyStr)V(c, "b")).Value);
        Assert.Equal("thr\"ee\nlines", ((PyStr)V(c, "c")).Value);
        Assert.Equal("x'y", ((PyStr)V(c, "d")).Value);
        Assert.Equal("", ((PyStr)V(c, "e")).Value);
        // kobo takes token[1:-1], so a triple-quoted string keeps two quote characters at each end: warned
        Assert.Contains(c.Warnings, w => w.Code == ErrorCodes.ImportKoboDivergence && w.Pos!.Value.Line == 3);
    }

    [Fact]
    public void Strings_PythonEscapes_AndRawStrings()
    {
        var c = Read(@"a = 'tab\there\nq\'s \\ \x41\u00e9\101 \d'" + "\n" + @"b = r'^\d+\.x$'" + "\n");
        // Python: \t \n \' \\ \x41=A \u00e9=é \101=A; an unknown escape (\d) keeps its backslash
        Assert.Equal("tab\there\nq's \\ Aé" + "A \\d", ((PyStr)V(c, "a")).Value);
        Assert.Equal(@"^\d+\.x$", ((PyStr)V(c, "b")).Value);
        // kobo does no escape processing: both lines differ from kobo's reading and are reported
        Assert.Contains(c.Warnings, w => w.Code == ErrorCodes.ImportKoboDivergence && w.Pos!.Value.Line == 1);
    }

    [Fact]
    public void Strings_AdjacentLiteralsJoin_InsideBrackets_AcrossLines()
    {
        var c = Read("x = ['a' 'b',\n     'c'\n     'd', 'e']\ny = 'p' \"q\"\n");
        Assert.Equal(["ab", "cd", "e"], ((PyList)V(c, "x")).Items.Select(i => ((PyStr)i).Value));
        Assert.Equal("pq", ((PyStr)V(c, "y")).Value);
        Assert.Equal(3, c.Warnings.Count(w => w.Code == ErrorCodes.ImportKoboDivergence && w.Message.Contains("adjacent", StringComparison.Ordinal)));
    }

    [Fact]
    public void Strings_OnTheNextLineAtTopLevel_AreNotJoined()
    {
        // outside brackets a line end ends the statement (Python NEWLINE): 'b' starts a new statement and is no name
        Fails("x = 'a'\n'b'\n", ErrorCodes.ConfigSyntax, 2, 1);
        var c = Read("x = 'a'\ny = 'b'\n");
        Assert.Equal("a", ((PyStr)V(c, "x")).Value);
    }

    [Fact]
    public void Strings_Unterminated_AndBadEscape()
    {
        Fails("x = 'abc\ny = 1\n", ErrorCodes.ConfigBadString, 1, 5);
        Fails("x = '''abc\n", ErrorCodes.ConfigBadString, 1, 5);
        Fails(@"x = '\x4'", ErrorCodes.ConfigBadString, 1, 6);
        Fails("x = b'bytes'", ErrorCodes.ConfigBadString, 1, 5);
    }

    [Fact]
    public void Numbers_AsKoboReadsThem()
    {
        var c = Read("a = 42\nb = -7\nc = 1.5\nd = 4_700_000_000\ne = 123456789012345678901234567890\nf = -0.25\n");
        Assert.Equal(new BigInteger(42), ((PyInt)V(c, "a")).Value);
        Assert.Equal(new BigInteger(-7), ((PyInt)V(c, "b")).Value);
        Assert.Equal(1.5, ((PyFloat)V(c, "c")).Value);
        Assert.Equal(new BigInteger(4700000000), ((PyInt)V(c, "d")).Value);
        Assert.Equal(BigInteger.Parse("123456789012345678901234567890", System.Globalization.CultureInfo.InvariantCulture), ((PyInt)V(c, "e")).Value);
        Assert.Equal(-0.25, ((PyFloat)V(c, "f")).Value);
        // kobo: int() of a token without '.', so hex and exponent-only forms fail
        Fails("x = 0x10", ErrorCodes.ConfigSyntax, 1, 5);
        Fails("x = 1e5", ErrorCodes.ConfigSyntax, 1, 5);
    }

    [Fact]
    public void BooleansNoneListsTuplesDicts()
    {
        var c = Read("""
            t = True
            f = False
            n = None
            l = [1, 'two', [3], ]
            e = []
            tu = ('^Server$', {'*': ['a', 'b']})
            one = (1)
            d = {'k': 'v', 1: None, 2.5: True}
            """);
        Assert.True(((PyBool)V(c, "t")).Value);
        Assert.False(((PyBool)V(c, "f")).Value);
        Assert.IsType<PyNone>(V(c, "n"));
        Assert.Equal("[1, 'two', [3]]", V(c, "l").ToPython());
        Assert.Empty(((PyList)V(c, "e")).Items);
        Assert.Equal("('^Server$', {'*': ['a', 'b']})", V(c, "tu").ToPython());
        // kobo's _get_tuple: parentheses always make a tuple
        Assert.Equal("(1,)", V(c, "one").ToPython());
        Assert.Equal("{'k': 'v', 1: None, 2.5: True}", V(c, "d").ToPython());
    }

    [Fact]
    public void CommentsAndLineContinuation()
    {
        var c = Read("""
            # a comment
            x = [  # after a bracket
                'a#not-a-comment',  # after an item
                # a whole line inside brackets
                'b',
            ]
            y = \
                5
            z = {
              'k':
                 'v'}
            """);
        Assert.Equal("['a#not-a-comment', 'b']", V(c, "x").ToPython());
        Assert.Equal("5", V(c, "y").ToPython());
        Assert.Equal("{'k': 'v'}", V(c, "z").ToPython());
    }

    [Fact]
    public void MissingCommas_AreAcceptedAsKoboDoes_WithAWarning()
    {
        // kobo's _skip_commas makes commas optional (upstream example-pungi.conf relies on it in extra_isos)
        var c = Read("x = {'a': ['Client']\n     'b': 1,, }\ny = [1 2]\n");
        Assert.Equal("{'a': ['Client'], 'b': 1}", V(c, "x").ToPython());
        Assert.Equal("[1, 2]", V(c, "y").ToPython());
        Assert.Contains(c.Warnings, w => w.Code == ErrorCodes.ImportKoboDivergence && w.Pos!.Value.Line == 2 && w.Pos.Value.Column == 6);
    }

    [Fact]
    public void References_AndLastAssignmentWins()
    {
        var c = Read("base = ['a']\nx = base\nbase = 'b'\n");
        Assert.Equal("['a']", V(c, "x").ToPython());
        Assert.Equal("'b'", V(c, "base").ToPython());
        Assert.Equal(["base", "x"], c.Options.Select(o => o.Name));
        var e = Fails("x = 1\ny = [x, undefined_name]\n", ErrorCodes.ConfigUndefinedName, 2, 9);
        Assert.Contains("undefined_name", e.Message);
    }

    [Fact]
    public void PercentFormatting()
    {
        var c = Read("""
            v = '1.0'
            d = {'fst': 1, 'snd': 'two'}
            a = "%s-%s" % (v, 'x')
            b = "%(fst)s %(snd)s" % d
            e = "%d%% %6.2f %r" % (3, 2.25, 'q')
            s = "only %s" % v
            """);
        Assert.Equal("1.0-x", ((PyStr)V(c, "a")).Value);
        Assert.Equal("1 two", ((PyStr)V(c, "b")).Value);
        Assert.Equal("3%   2.25 'q'", ((PyStr)V(c, "e")).Value);
        Assert.Equal("only 1.0", ((PyStr)V(c, "s")).Value);
        Fails("d = {'a': 1}\nx = '%(b)s' % d\n", ErrorCodes.ConfigBadFormat, 2, 5);
        Fails("x = '%s %s' % ('a',)\n", ErrorCodes.ConfigBadFormat, 1, 5);
    }

    [Fact]
    public void DuplicateKeys_KeywordsAndPrivateNames()
    {
        Fails("x = {'a': 1,\n     'a': 2}\n", ErrorCodes.ConfigDuplicateKey, 2, 6);
        // kobo compares type and value: 1 and True are different keys
        Assert.Equal("{1: 'a', True: 'b'}", V(Read("x = {1: 'a', True: 'b'}"), "x").ToPython());
        Fails("class = 1\n", ErrorCodes.ConfigBadAssignment, 1, 1);
        Fails("_hidden = 1\n", ErrorCodes.ConfigBadAssignment, 1, 1);
        Fails("x = [1, 2\ny = 3\n", ErrorCodes.ConfigSyntax, 1, 5);
        Fails("x 1\n", ErrorCodes.ConfigSyntax, 1, 3);
        Fails("x = {[1]: 2}\n", ErrorCodes.ConfigSyntax, 1, 6);
        Fails("x = 1 ; y = 2\n", ErrorCodes.ConfigSyntax, 1, 7);
    }

    [Fact]
    public void FromImport_RelativeToTheFile_StarAndNames()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "sub"));
        File.WriteAllText(Path.Combine(_dir, "sub", "common.conf"), "release_name = 'Common'\nrelease_short = 'C'\nlist = ['x']\n");
        File.WriteAllText(Path.Combine(_dir, "sub", "consts.conf"), "PI = 3.14\nE = 2.71\nOTHER = 1\n");
        File.WriteAllText(Path.Combine(_dir, "sub", "main.conf"), "from common import *\nfrom consts import PI, E\nrelease_short = 'M'\nx = list\n");
        var c = PungiConfigReader.ReadFile(Path.Combine(_dir, "sub", "main.conf"));
        Assert.Equal("'Common'", V(c, "release_name").ToPython());
        Assert.Equal("'M'", V(c, "release_short").ToPython());
        Assert.Equal("3.14", V(c, "PI").ToPython());
        Assert.Null(c["OTHER"]);
        Assert.Equal("['x']", V(c, "x").ToPython());
        // positions of imported values point into the imported file
        Assert.EndsWith("common.conf", c["release_name"]!.Pos.File);
        Assert.Equal(1, c["release_name"]!.Pos.Line);
    }

    [Fact]
    public void FromImport_MissingFile_Cycle_AndMissingName()
    {
        File.WriteAllText(Path.Combine(_dir, "a.conf"), "x = 1\nfrom b import *\n");
        File.WriteAllText(Path.Combine(_dir, "b.conf"), "from a import *\n");
        var e = Assert.Throws<PungiException>(() => PungiConfigReader.ReadFile(Path.Combine(_dir, "a.conf")));
        Assert.Equal(ErrorCodes.ConfigImportFailed, e.Code);
        Assert.Contains("cycle", e.Message);
        Fails("from nothere import *\n", ErrorCodes.ConfigImportFailed, 1, 1);
        File.WriteAllText(Path.Combine(_dir, "c.conf"), "y = 1\n");
        Fails("from c import y, z\n", ErrorCodes.ConfigImportFailed, 1, 18);
    }

    [Fact]
    public void JsonForm()
    {
        var path = Path.Combine(_dir, "pungi.json");
        File.WriteAllText(path, """
            {
              "release_name": "Dummy",
              "check_deps": false,
              "sigkeys": [null],
              "iso_size": 4700000000,
              "multilib": [["^Server$", {"*": ["devel"]}]]
            }
            """);
        var c = PungiConfigReader.ReadFile(path);
        Assert.Equal("'Dummy'", V(c, "release_name").ToPython());
        Assert.Equal("False", V(c, "check_deps").ToPython());
        Assert.Equal("[None]", V(c, "sigkeys").ToPython());
        Assert.Equal("4700000000", V(c, "iso_size").ToPython());
        Assert.Equal("[['^Server$', {'*': ['devel']}]]", V(c, "multilib").ToPython());
        Assert.Equal(6, c["multilib"]!.Pos.Line);
        File.WriteAllText(path, "{\n  \"a\": 1,\n  \"b\": [1, }\n");
        var e = Assert.Throws<PungiException>(() => PungiConfigReader.ReadFile(path));
        Assert.Equal(ErrorCodes.ConfigJsonInvalid, e.Code);
        Assert.Equal(3, e.Line);
        File.WriteAllText(path, "[1]");
        Assert.Equal(ErrorCodes.ConfigJsonInvalid, Assert.Throws<PungiException>(() => PungiConfigReader.ReadFile(path)).Code);
    }

    [Fact]
    public void UpstreamExamples_ParseWithoutError()
    {
        var dummy = PungiConfigReader.ReadFile(Path.Combine(TestPaths.Shared, "reference", "pungi", "dummy-local.conf"));
        Assert.Empty(dummy.Warnings);
        Assert.Equal(27, dummy.Options.Count);
        Assert.Equal("{'*': ['../../fixtures/pungi-dummy/rpms']}", dummy["pkgset_repos"]!.Value.ToPython());
        var example = PungiConfigReader.ReadFile(Path.Combine(TestPaths.Shared, "reference", "pungi", "example-pungi.conf"));
        Assert.Equal("{'^Server$': [{'include_variants': ['Client'], 'filename': 'extra-{filename}'}]}", example["extra_isos"]!.Value.ToPython());
        // its missing comma (line 109, before 'filename') is what kobo tolerates and Python would not
        var w = Assert.Single(example.Warnings);
        Assert.Equal((ErrorCodes.ImportKoboDivergence, 109, 9), (w.Code, w.Pos!.Value.Line, w.Pos.Value.Column));
    }
}
