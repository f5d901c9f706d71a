using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Sustain.Cli;

namespace Sustain.Web.Tests.Sboms;

/// <summary><c>sustain upload</c> against the app on a real port, as CI would run it.</summary>
public sealed class UploadCommandTests(SbomsAppFactory app) : IClassFixture<SbomsAppFactory>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sustain-upload-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly byte[] Good = TestSboms.CycloneDx(["left-pad"], new TestComponent("left-pad", "1.3.0", "pkg:npm/left-pad@1.3.0", "MIT"));

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private (int Code, string Out, string Err) Upload(string file, string product, params string[] more)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] args = ["upload", file, "--server", app.ServerAddress.ToString(), "--org", SbomsAppFactory.Org, "--product", product, .. more];
        var code = SustainCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Uploads_a_document_and_prints_its_summary()
    {
        var (code, output, errors) = Upload(Write("app.cdx.json", Good), "cli-app", "--token", app.Token);

        Assert.Equal(SustainCli.Success, code);
        Assert.Equal("", errors);
        Assert.Contains("app.cdx.json: uploaded to tests-org/cli-app.", output, StringComparison.Ordinal);
        Assert.Matches(@"format\s+cyclonedx-json 1.5", output);
        Assert.Matches(@"components\s+1\b", output);
    }

    [Fact]
    public void Uploading_the_same_bytes_again_says_so_and_succeeds()
    {
        var file = Write("again.cdx.json", Good);
        var first = Upload(file, "cli-again", "--token", app.Token);

        var (code, output, _) = Upload(file, "cli-again", "--token", app.Token);

        Assert.Equal(SustainCli.Success, first.Code);
        Assert.Equal(SustainCli.Success, code);
        Assert.Contains("already uploaded", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Prints_the_servers_json_with_the_json_option()
    {
        var (code, output, _) = Upload(Write("json.cdx.json", Good), "cli-json", "--token", app.Token, "--json");

        Assert.Equal(SustainCli.Success, code);
        using var answer = JsonDocument.Parse(output);
        Assert.Equal("cli-json", answer.RootElement.GetProperty("product").GetString());
        Assert.Equal(1, answer.RootElement.GetProperty("components").GetInt32());
    }

    [Fact]
    public void A_document_the_server_cannot_read_exits_2_with_its_detail_on_one_line()
    {
        var (code, output, errors) = Upload(Write("broken.json", "{\"bomFormat\": \"CycloneDX\", \"components\": ["u8.ToArray()), "cli-broken", "--token", app.Token);

        Assert.Equal(SustainCli.InvalidInput, code);
        Assert.Equal("", output);
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("sustain: broken.json: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_of_another_organisation_exits_2_as_not_found()
    {
        var (code, _, errors) = Upload(Write("outsider.cdx.json", Good), "cli-outsider", "--token", app.OutsiderToken);

        Assert.Equal(SustainCli.InvalidInput, code);
        Assert.Contains("No organisation 'tests-org' that you can see", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Takes_the_token_from_the_environment_when_no_option_gives_it()
    {
        Environment.SetEnvironmentVariable("SUSTAIN_TOKEN", app.Token);
        try
        {
            var (code, output, _) = Upload(Write("env.cdx.json", Good), "cli-env");

            Assert.Equal(SustainCli.Success, code);
            Assert.Contains("uploaded to tests-org/cli-env", output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SUSTAIN_TOKEN", null);
        }
    }

    [Fact]
    public void A_server_that_cannot_be_reached_exits_1_with_a_clear_message()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = SustainCli.Run(["upload", Write("down.cdx.json", Good), "--server", $"http://127.0.0.1:{port}", "--org", "o", "--product", "p", "--token", "sus_x"], stdout, stderr);

        Assert.Equal(SustainCli.Failure, code);
        Assert.StartsWith($"sustain: cannot reach http://127.0.0.1:{port}: ", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
    }
}
