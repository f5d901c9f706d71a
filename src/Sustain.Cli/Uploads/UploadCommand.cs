using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Sustain.Cli.Uploads;

/// <summary>
/// <c>sustain upload FILE</c>: sends an SBOM to a Sustain server as CI would, streaming the file
/// (never read whole into memory) with an organisation token. Exit 0 when the server kept it,
/// 2 when it refused the document or the request (its problem detail on one line), 1 when the
/// server could not be reached or failed.
/// </summary>
internal static class UploadCommand
{
    public const string TokenVariable = "SUSTAIN_TOKEN";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The SBOM to upload: CycloneDX (JSON or XML) or SPDX (JSON, tag-value, 3.0 JSON-LD)." };
        var server = new Option<string>("--server") { Description = "The Sustain server's address, such as https://sustain.example.", Required = true };
        var org = new Option<string>("--org") { Description = "The organisation's short name.", Required = true };
        var product = new Option<string>("--product") { Description = "The product's short name; the product is created on its first upload.", Required = true };
        var token = new Option<string?>("--token") { Description = $"An organisation API token with the SBOM write scope; defaults to the {TokenVariable} environment variable." };
        var json = new Option<bool>("--json") { Description = "Print the server's JSON answer instead of the readable summary." };
        var command = new Command("upload", "Upload an SBOM to a Sustain server for a product.") { file, server, org, product, token, json };
        command.SetAction((parsed, cancellation) =>
        {
            var request = new UploadRequest(
                parsed.GetRequiredValue(file), parsed.GetRequiredValue(server), parsed.GetRequiredValue(org), parsed.GetRequiredValue(product),
                parsed.GetValue(token) ?? Environment.GetEnvironmentVariable(TokenVariable), parsed.GetValue(json));
            return RunAsync(request, stdout, stderr, cancellation);
        });
        return command;
    }

    private sealed record UploadRequest(FileInfo File, string Server, string Org, string Product, string? Token, bool Json);

    private static async Task<int> RunAsync(UploadRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        if (!Uri.TryCreate(request.Server, UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
            throw new InvalidInputException($"--server '{request.Server}' is not an http or https address, such as https://sustain.example");
        if (string.IsNullOrWhiteSpace(request.Token))
            throw new InvalidInputException($"no token: pass --token or set {TokenVariable} to an organisation API token");
        if (!request.File.Exists)
            throw new InvalidInputException($"{request.File.FullName}: no such file");

        var address = new Uri(server, $"{server.AbsolutePath.TrimEnd('/')}/api/v1/orgs/{Uri.EscapeDataString(request.Org)}/products/{Uri.EscapeDataString(request.Product)}/sboms");
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        await using var body = new FileStream(request.File.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var content = new StreamContent(body, 81920);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var message = new HttpRequestMessage(HttpMethod.Post, address) { Content = content };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", request.Token.Trim());
        message.Headers.Add("X-File-Name", request.File.Name);
        message.Headers.UserAgent.Add(new ProductInfoHeaderValue("sustain-cli", typeof(UploadCommand).Assembly.GetName().Version?.ToString(3) ?? "1.0.0"));

        HttpResponseMessage response;
        string answer;
        try
        {
            response = await client.SendAsync(message, cancellation);
            answer = await response.Content.ReadAsStringAsync(cancellation);
        }
        catch (HttpRequestException e)
        {
            stderr.WriteLine($"sustain: cannot reach {server.GetLeftPart(UriPartial.Authority)}: {OneLine(e.Message)}");
            return SustainCli.Failure;
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            stderr.WriteLine($"sustain: {server.GetLeftPart(UriPartial.Authority)} did not answer within {client.Timeout.TotalMinutes:N0} minutes");
            return SustainCli.Failure;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                if (request.Json)
                    stdout.WriteLine(answer);
                else
                    WriteSummary(answer, request, response.StatusCode == HttpStatusCode.OK, stdout);
                return SustainCli.Success;
            }

            var detail = ProblemDetail(answer) ?? response.ReasonPhrase ?? "no detail given";
            if (status is 400 or 404 or 413 or 415)
            {
                stderr.WriteLine($"sustain: {request.File.Name}: {detail}");
                return SustainCli.InvalidInput;
            }

            stderr.WriteLine($"sustain: the server answered {status} ({response.ReasonPhrase}): {detail}");
            return SustainCli.Failure;
        }
    }

    /// <summary>The problem's detail (or title) as one line; null when the answer is not a problem document.</summary>
    private static string? ProblemDetail(string answer)
    {
        try
        {
            using var document = JsonDocument.Parse(answer);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return null;
            foreach (var name in (string[])["detail", "title"])
            {
                if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
                    return OneLine(text);
            }

            return null;
        }
        catch (JsonException)
        {
            return answer.Length == 0 ? null : OneLine(answer.Length > 300 ? answer[..300] : answer);
        }
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static void WriteSummary(string answer, UploadRequest request, bool alreadyKnown, TextWriter stdout)
    {
        using var document = JsonDocument.Parse(answer);
        var upload = document.RootElement;
        string Text(string name) => upload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
        int Number(string name) => upload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : 0;

        var where = $"{request.Org}/{request.Product}";
        stdout.WriteLine(alreadyKnown
            ? $"{request.File.Name}: already uploaded to {where} (the same bytes); nothing changed."
            : $"{request.File.Name}: uploaded to {where}.");
        stdout.WriteLine($"  upload          {Text("id")}");
        stdout.WriteLine($"  format          {Text("format")} {Text("specVersion")}");
        stdout.WriteLine($"  components      {Number("components").ToString("N0", CultureInfo.InvariantCulture)}");
        stdout.WriteLine($"  direct          {Number("direct").ToString("N0", CultureInfo.InvariantCulture)}");
        stdout.WriteLine($"  maximum depth   {Number("maxDepth")}");
        stdout.WriteLine($"  sha256          {Text("sha256")}");
        if (upload.TryGetProperty("warnings", out var warnings) && warnings.ValueKind == JsonValueKind.Array && warnings.GetArrayLength() > 0)
        {
            stdout.WriteLine();
            stdout.WriteLine($"Warnings ({warnings.GetArrayLength().ToString("N0", CultureInfo.InvariantCulture)}):");
            foreach (var warning in warnings.EnumerateArray())
                stdout.WriteLine($"  {warning.GetString()}");
        }
    }
}
