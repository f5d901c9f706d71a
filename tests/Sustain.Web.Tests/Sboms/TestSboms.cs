using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sustain.Web.Tests.Sboms;

/// <summary>A component of a test document: its bom-ref is its name.</summary>
internal sealed record TestComponent(string Name, string? Version = null, string? Purl = null, string? License = null, params string[] DependsOn);

/// <summary>Small CycloneDX documents written by the tests, and the upload call they go through.</summary>
internal static class TestSboms
{
    /// <summary>A CycloneDX 1.5 document whose root "app" depends on <paramref name="direct"/>.</summary>
    public static byte[] CycloneDx(string[] direct, params TestComponent[] components)
    {
        var document = new JsonObject
        {
            ["bomFormat"] = "CycloneDX",
            ["specVersion"] = "1.5",
            ["version"] = 1,
            ["metadata"] = new JsonObject { ["component"] = new JsonObject { ["bom-ref"] = "app", ["type"] = "application", ["name"] = "app" } },
            ["components"] = new JsonArray(components.Select(c =>
            {
                var component = new JsonObject { ["bom-ref"] = c.Name, ["type"] = "library", ["name"] = c.Name };
                if (c.Version is not null)
                    component["version"] = c.Version;
                if (c.Purl is not null)
                    component["purl"] = c.Purl;
                if (c.License is not null)
                    component["licenses"] = new JsonArray(c.License.Split(", ").Select(l => (JsonNode)new JsonObject { ["license"] = new JsonObject { ["id"] = l } }).ToArray());
                return (JsonNode)component;
            }).ToArray()),
            ["dependencies"] = new JsonArray(
                [
                    new JsonObject { ["ref"] = "app", ["dependsOn"] = new JsonArray(direct.Select(d => (JsonNode)JsonValue.Create(d)!).ToArray()) },
                    .. components.Select(c => (JsonNode)new JsonObject { ["ref"] = c.Name, ["dependsOn"] = new JsonArray(c.DependsOn.Select(d => (JsonNode)JsonValue.Create(d)!).ToArray()) }),
                ]),
        };
        return Encoding.UTF8.GetBytes(document.ToJsonString());
    }

    public static async Task<JsonElement> UploadAsync(HttpClient client, string product, byte[] document)
    {
        using var content = new ByteArrayContent(document);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync($"/api/v1/orgs/{SbomsAppFactory.Org}/products/{product}/sboms", content);
        Assert.True(response.IsSuccessStatusCode, $"upload answered {(int)response.StatusCode}: {response} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static List<string> Names(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!).ToList();
}
