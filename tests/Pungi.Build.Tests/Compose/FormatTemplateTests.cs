using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Xunit;

namespace Pungi.Build.Tests.Compose;

/// <summary>Templates are applied with %-formatting first, then str.format (spec §1.2).</summary>
public class FormatTemplateTests
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["compose_id"] = "Fedora-41-20261127.n.0",
        ["variant"] = "Server",
        ["arch"] = "x86_64",
        ["disc_type"] = "dvd",
        ["disc_num"] = "1",
        ["suffix"] = ".iso",
    };

    [Fact]
    public void Percent_syntax_pungi_default_image_name()
        => Assert.Equal("Fedora-41-20261127.n.0-Server-x86_64-dvd1.iso",
            FormatTemplate.Apply("%(compose_id)s-%(variant)s-%(arch)s-%(disc_type)s%(disc_num)s%(suffix)s", Values));

    [Fact]
    public void Brace_syntax_and_both_in_one_string()
    {
        Assert.Equal("Server-x86_64", FormatTemplate.Apply("{variant}-{arch}", Values));
        Assert.Equal("Server-x86_64", FormatTemplate.Apply("%(variant)s-{arch}", Values));
    }

    [Fact]
    public void Percent_runs_before_braces_so_escapes_compose_like_python()
    {
        // "%%" → "%" first; "{{" → "{" second; a %-result containing braces is then brace-formatted, as in Python.
        Assert.Equal("100% {x}", FormatTemplate.Apply("100%% {{x}}", Values));
        Assert.Equal("Server", FormatTemplate.Apply("%(brace)s", new Dictionary<string, string>(Values) { ["brace"] = "{variant}" }));
    }

    [Fact]
    public void Percent_d_needs_a_number()
    {
        Assert.Equal("disc1", FormatTemplate.Apply("disc%(disc_num)d", Values));
        Assert.Equal(ErrorCodes.BadFormatTemplate, Assert.Throws<PungiException>(() => FormatTemplate.Apply("%(arch)d", Values)).Code);
    }

    [Theory]
    [InlineData("%(nope)s")]
    [InlineData("{nope}")]
    [InlineData("{variant")]
    [InlineData("variant}")]
    [InlineData("%s")]
    [InlineData("%(variant)")]
    [InlineData("{}")]
    public void Unknown_key_or_malformed_template_is_PUNGI1009(string template)
        => Assert.Equal(ErrorCodes.BadFormatTemplate, Assert.Throws<PungiException>(() => FormatTemplate.Apply(template, Values, "x.composeproj", 3)).Code);
}
