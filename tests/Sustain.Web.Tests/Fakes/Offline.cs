using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;

namespace Sustain.Web.Tests.Fakes;

/// <summary>
/// Where a test app sends the external calls no test fakes: a loopback port nobody listens on, so a
/// stray call is refused at once and never reaches the internet.
/// </summary>
public static class Offline
{
    private static readonly Lazy<Uri> Closed = new(() =>
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    });

    public static Uri ClosedPort => Closed.Value;

    /// <summary>ecosyste.ms and the GitHub API at the closed port, with no retries to wait through.</summary>
    public static IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Ecosystems:BaseAddress"] = ClosedPort.ToString(),
        ["Ecosystems:MaxRetries"] = "1",
        ["Ecosystems:RetryDelay"] = "00:00:00.010",
        ["GitHub:ApiBaseAddress"] = ClosedPort.ToString(),
        ["GitHub:Calls:MaxRetries"] = "0",
        ["GitHub:Calls:RetryDelay"] = "00:00:00.010",
    };

    public static IWebHostBuilder UseOfflineSettings(this IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        return builder;
    }
}
