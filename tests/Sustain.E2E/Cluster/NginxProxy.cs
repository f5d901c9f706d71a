using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sustain.E2E.Cluster;

/// <summary>
/// Debian's nginx in front of several app instances on loopback, configured as
/// <c>docs/deploy/nginx.conf</c> advises (sticky by client address, WebSockets passed through, the
/// next instance tried when one is down). Every answer names the instance that served it in
/// <c>X-Upstream</c>, so a test knows which instance to stop.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    public const string NginxPath = "/usr/sbin/nginx";

    private readonly Process _process;
    private readonly string _directory;

    private NginxProxy(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    public static bool Available => File.Exists(NginxPath);

    public Uri Address { get; }

    public static async Task<NginxProxy> StartAsync(IReadOnlyList<Uri> upstreams)
    {
        var directory = Directory.CreateTempSubdirectory("sustain-nginx-").FullName;
        var port = SustainServer.FreePort();
        File.WriteAllText(Path.Combine(directory, "nginx.conf"), Configuration(directory, port, upstreams));
        var start = new ProcessStartInfo(NginxPath) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", directory, "-c", Path.Combine(directory, "nginx.conf") })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
        var proxy = new NginxProxy(process, directory, new Uri($"http://127.0.0.1:{port}/"));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return proxy;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        await proxy.DisposeAsync();
        throw new TimeoutException("nginx did not listen within 20 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Configuration(string directory, int port, IReadOnlyList<Uri> upstreams)
    {
        var servers = new StringBuilder();
        foreach (var upstream in upstreams)
            servers.Append(CultureInfo.InvariantCulture, $"        server {upstream.Host}:{upstream.Port} max_fails=1 fail_timeout=30s;\n");

        // One process in the foreground (the test owns it), every path in the test's own folder.
        return $$"""
            daemon off;
            master_process off;
            error_log {{directory}}/error.log warn;
            pid {{directory}}/nginx.pid;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                client_max_body_size 100m;

                upstream sustain {
                    ip_hash;
            {{servers}}    }

                map $http_upgrade $connection_upgrade {
                    default upgrade;
                    ''      close;
                }

                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://sustain;
                        proxy_http_version 1.1;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection $connection_upgrade;
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_read_timeout 1h;
                        proxy_connect_timeout 2s;
                        proxy_next_upstream error timeout http_502 http_503;
                        add_header X-Upstream $upstream_addr always;
                    }
                }
            }
            """;
    }
}
