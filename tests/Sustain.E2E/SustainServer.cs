using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sustain.E2E;

/// <summary>
/// The real app, started as its own process on a free loopback port with a fresh SQLite file and
/// the demo data, exactly as a user runs it. Its output is kept for the failure message.
/// </summary>
public sealed class SustainServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly System.Text.StringBuilder _log = new();

    private SustainServer(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    public Uri Address { get; }

    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    public static async Task<SustainServer> StartAsync(IDictionary<string, string>? settings = null)
    {
        var web = LocateWebAssembly();
        var directory = Directory.CreateTempSubdirectory("sustain-e2e-").FullName;
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(web)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(web);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Database__ConnectionString"] = $"Data Source={Path.Combine(directory, "sustain.db")}";
        start.Environment["Sboms__SpoolDirectory"] = directory;
        // Never the internet: ecosyste.ms and GitHub at a loopback port nobody listens on (the demo needs neither).
        var closed = $"http://127.0.0.1:{FreePort()}/";
        start.Environment["Ecosystems__BaseAddress"] = closed;
        start.Environment["GitHub__ApiBaseAddress"] = closed;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("The server did not start.");
        var server = new SustainServer(process, directory, address);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The server exited with {process.ExitCode}:\n{server.Log}");
            try
            {
                if ((await http.GetAsync("healthz")).StatusCode == HttpStatusCode.OK)
                    return server;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        await server.DisposeAsync();
        throw new TimeoutException($"The server did not answer /healthz within 90 s:\n{server.Log}");
    }

    /// <summary>Kills the process, as a crashed machine or a failed instance would stop.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_log)
            _log.AppendLine(line);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Sustain.Web.dll from the same configuration's build output.</summary>
    private static string LocateWebAssembly()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Sustain.Web", "bin", configuration, "net10.0", "Sustain.Web.dll");
            if (File.Exists(candidate))
                return candidate;
        }

        throw new FileNotFoundException("Sustain.Web.dll was not found; build the solution first.");
    }
}
