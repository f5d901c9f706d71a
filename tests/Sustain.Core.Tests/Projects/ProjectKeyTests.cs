using Sustain.Core.Projects;
using Sustain.Core.Sboms;

namespace Sustain.Core.Tests.Projects;

public class ProjectKeyTests
{
    [Theory]
    [InlineData("https://github.com/babel/babel", "github.com/babel/babel")]
    [InlineData("https://github.com/Babel/Babel.git", "github.com/babel/babel")]
    [InlineData("git+https://github.com/babel/babel.git", "github.com/babel/babel")]
    [InlineData("git+ssh://git@github.com/babel/babel.git", "github.com/babel/babel")]
    [InlineData("git@github.com:babel/babel.git", "github.com/babel/babel")]
    [InlineData("git://github.com/babel/babel", "github.com/babel/babel")]
    [InlineData("github:babel/babel", "github.com/babel/babel")]
    [InlineData("https://github.com/babel/babel/tree/main/packages/babel-core", "github.com/babel/babel")]
    [InlineData("https://github.com/babel/babel/blob/main/README.md", "github.com/babel/babel")]
    [InlineData("https://www.github.com/babel/babel/", "github.com/babel/babel")]
    [InlineData("http://github.com/babel/babel#readme", "github.com/babel/babel")]
    [InlineData("scm:git:git://github.com/FasterXML/jackson-databind.git", "github.com/fasterxml/jackson-databind")]
    [InlineData("https://gitlab.com/group/subgroup/project/-/tree/main", "gitlab.com/group/subgroup/project")]
    [InlineData("https://bitbucket.org/owner/repo/src/master/", "bitbucket.org/owner/repo")]
    public void Repository_urls_normalise_to_one_project_key(string url, string expected)
    {
        Assert.True(ProjectKey.TryFromRepositoryUrl(url, out var key, out var reason), reason);
        Assert.Equal(expected, key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("https://github.com/babel")]
    [InlineData("NOASSERTION")]
    [InlineData("https://example.org")]
    public void Urls_that_name_no_repository_say_why(string url)
    {
        Assert.False(ProjectKey.TryFromRepositoryUrl(url, out var key, out var reason));
        Assert.Null(key);
        Assert.False(string.IsNullOrWhiteSpace(reason));
    }

    private static SbomComponent Component(string purl, params ExternalReference[] references)
    {
        var builder = new SbomBuilder(SbomFormat.CycloneDxJson);
        builder.AddComponent(new SbomComponent { Ref = "c", Name = "c", PurlText = purl, ExternalReferences = references }, "$.components[0]");
        return builder.Build().Components[0];
    }

    [Fact]
    public void A_github_purl_names_its_project()
    {
        Assert.True(ProjectKey.TryFromComponent(Component("pkg:github/Microsoft/TypeScript@5.4.0"), out var key, out _));
        Assert.Equal("github.com/microsoft/typescript", key);
    }

    [Fact]
    public void The_vcs_url_qualifier_comes_before_external_references()
    {
        var component = Component("pkg:npm/left-pad@1.3.0?vcs_url=git%2Bhttps://github.com/left-pad/left-pad.git", new ExternalReference("vcs", "https://github.com/elsewhere/other"));

        Assert.True(ProjectKey.TryFromComponent(component, out var key, out _));
        Assert.Equal("github.com/left-pad/left-pad", key);
    }

    [Fact]
    public void Every_babel_package_maps_to_the_babel_repository()
    {
        var core = Component("pkg:npm/%40babel/core@7.24.0", new ExternalReference("vcs", "https://github.com/babel/babel/tree/main/packages/babel-core"));
        var parser = Component("pkg:npm/%40babel/parser@7.24.0", new ExternalReference("vcs", "git+https://github.com/babel/babel.git"));

        Assert.True(ProjectKey.TryFromComponent(core, out var a, out _));
        Assert.True(ProjectKey.TryFromComponent(parser, out var b, out _));
        Assert.Equal("github.com/babel/babel", a);
        Assert.Equal(a, b);
    }

    [Fact]
    public void A_component_the_sbom_says_nothing_of_is_unresolved_with_the_reason()
    {
        Assert.False(ProjectKey.TryFromComponent(Component("pkg:npm/left-pad@1.3.0", new ExternalReference("website", "https://left-pad.example")), out _, out var reason));
        Assert.Contains("no repository", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void What_an_upload_keeps_of_a_component_resolves_as_the_component_would()
    {
        var purl = Sustain.Core.Purls.Purl.Parse("pkg:npm/left-pad@1.3.0?vcs_url=git%2Bhttps://github.com/left-pad/left-pad.git");

        Assert.True(ProjectKey.TryFromSbom(purl, [null], [null], out var fromQualifier, out _));
        Assert.True(ProjectKey.TryFromSbom(null, ["git@gitlab.com:group/tool.git"], [null], out var fromVcs, out _));
        Assert.True(ProjectKey.TryFromSbom(null, [null], ["https://bitbucket.org/team/repo/src/main/"], out var fromWebsite, out _));
        Assert.False(ProjectKey.TryFromSbom(null, [null], ["https://tool.example/docs/page"], out _, out _));
        Assert.Equal(("github.com/left-pad/left-pad", "gitlab.com/group/tool", "bitbucket.org/team/repo"), (fromQualifier, fromVcs, fromWebsite));
    }

    [Theory]
    [InlineData("github.com/babel/babel", true)]
    [InlineData("gitlab.gnome.org/gnome/glib", true)]
    [InlineData("codeberg.org/forgejo/forgejo", true)]
    [InlineData("www.example.org/projects/homepage", false)]
    [InlineData("sourceforge.net/projects/thing", false)]
    public void Knows_which_project_keys_are_on_a_code_host(string key, bool onCodeHost) =>
        Assert.Equal(onCodeHost, ProjectKey.IsOnCodeHost(key));
}
