using Pungi.Build.Cli;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Tests.Import;

/// <summary><c>pungi-build import</c> on the command line: output file, --copy-inputs, exit codes, error positions.</summary>
public sealed class CliImportTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pungi-import-tests", Guid.NewGuid().ToString("N")[..8]);

    public CliImportTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = ImportCommand.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private string WriteConf(string text)
    {
        var src = Path.Combine(_dir, "in");
        Directory.CreateDirectory(src);
        File.WriteAllText(Path.Combine(src, "variants.xml"), "<variants/>");
        File.WriteAllText(Path.Combine(src, "comps.xml"), "<comps/>");
        var conf = Path.Combine(src, "pungi.conf");
        File.WriteAllText(conf, text);
        return conf;
    }

    [Fact]
    public void ReferencesInputsByDefault_CopiesThemWithCopyInputs()
    {
        var conf = WriteConf("variants_file = 'variants.xml'\ncomps_file = 'comps.xml'\nrelase_name = 'x'\n");
        var outA = Path.Combine(_dir, "a", "distro.composeproj");
        var (code, stdout, stderr) = Run(conf, "-o", outA);
        Assert.Equal(0, code);
        Assert.Contains("wrote", stdout);
        Assert.Matches(@"pungi\.conf\(3,1\): warning PUNGI1220: .*did you mean 'release_name'", stderr);
        var xml = File.ReadAllText(outA);
        Assert.Contains("<VariantsFile Include=\"../in/variants.xml\" />", xml);
        Assert.False(File.Exists(Path.Combine(_dir, "a", "variants.xml")));

        var outB = Path.Combine(_dir, "b", "distro.composeproj");
        Assert.Equal(0, Run(conf, "--copy-inputs", "-o", outB).Code);
        Assert.Contains("<VariantsFile Include=\"variants.xml\" />", File.ReadAllText(outB));
        Assert.Contains("<CompsFile Include=\"comps.xml\" />", File.ReadAllText(outB));
        Assert.Equal("<comps/>", File.ReadAllText(Path.Combine(_dir, "b", "comps.xml")));
    }

    [Fact]
    public void CopyInputs_WithAMissingFile_IsAnError()
    {
        var conf = WriteConf("variants_file = 'nope.xml'\n");
        var (code, _, stderr) = Run(conf, "--copy-inputs", "-o", Path.Combine(_dir, "c.composeproj"));
        Assert.Equal(1, code);
        Assert.Contains($"pungi.conf(1,1): error {ErrorCodes.ImportMissingInput}", stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "c.composeproj")));
    }

    [Fact]
    public void SyntaxError_PrintsFileLineColumn_NoStackTrace()
    {
        var conf = WriteConf("release_name = 'X'\nmultilib = [\n  ('^Server$', {'*': ['devel']}),\n");
        var (code, _, stderr) = Run(conf, "-o", Path.Combine(_dir, "d.composeproj"));
        Assert.Equal(1, code);
        Assert.Contains($"pungi.conf(2,12): error {ErrorCodes.ConfigSyntax}: '[' is never closed", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void Usage()
    {
        Assert.Equal(2, Run().Code);
        Assert.Equal(2, Run("a.conf", "b.conf").Code);
        Assert.Equal(2, Run("a.conf", "--bogus").Code);
        Assert.Equal(0, Run("--help").Code);
        Assert.Equal(1, Run(Path.Combine(_dir, "missing.conf")).Code);
    }
}
