using BenchmarkDotNet.Running;
using Sustain.Benchmarks;

// `generate DIR [COUNT]` writes the synthetic documents the benchmarks read, for timing the CLI;
// `web-timing` starts the web app on a temp SQLite file and times uploads and the dependency view;
// `model-size [COUNT]` reports the retained size of each read model, the yardstick for allocations.
if (args is ["generate", var directory, ..])
{
    var count = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 50_000;
    Directory.CreateDirectory(directory);
    var sbom = new SyntheticSbom(count);
    File.WriteAllBytes(Path.Combine(directory, $"synthetic-{count}.cdx.json"), sbom.CycloneDxJson());
    File.WriteAllBytes(Path.Combine(directory, $"synthetic-{count}.spdx.json"), sbom.SpdxJson());
    File.WriteAllBytes(Path.Combine(directory, $"synthetic-{count}.cdx.xml"), sbom.CycloneDxXml());
    Console.WriteLine($"wrote three {count:N0}-component documents to {directory}");
    return 0;
}

if (args is ["web-timing", ..])
    return await WebTiming.RunAsync(Console.Out);

if (args is ["model-size", ..])
{
    var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50_000;
    ModelSize.Report(new SyntheticSbom(count), Console.Out);
    return 0;
}

if (args is ["purl-timing", ..])
{
    var purls = Enumerable.Range(0, 50_000).Select(i => i % 3 == 0 ? $"pkg:maven/org.example.group{i % 97}/artifact-{i}@1.{i % 10}.{i % 7}?type=jar" : $"pkg:npm/%40scope{i % 89}/package-{i}@{i % 5}.{i % 11}.{i % 13}").ToArray();
    for (var round = 0; round < 5; round++)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var p in purls)
            _ = Sustain.Core.Purls.Purl.TryParseLenient(p, out _, out _, out _);
        Console.WriteLine($"50,000 purls: {watch.Elapsed.TotalMilliseconds:F1} ms, {(GC.GetAllocatedBytesForCurrentThread() - before) / 50_000} B each");
    }

    return 0;
}

if (args is ["quick-timing", ..])
{
    var sbom = new SyntheticSbom(50_000);
    foreach (var (name, bytes, floor) in new (string, byte[], Func<byte[], int>)[]
    {
        ("cyclonedx-json", sbom.CycloneDxJson(), SbomReadingBenchmarks.JsonFloor),
        ("spdx-json", sbom.SpdxJson(), SbomReadingBenchmarks.JsonFloor),
        ("cyclonedx-xml", sbom.CycloneDxXml(), SbomReadingBenchmarks.XmlFloor),
    })
    {
        double Best(Func<int> run)
        {
            var best = double.MaxValue;
            for (var i = 0; i < 8; i++)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                run();
                best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
            }

            return best;
        }

        var floorMs = Best(() => floor(bytes));
        var readMs = Best(() => Sustain.Core.Sboms.SbomReader.Read(new MemoryStream(bytes, writable: false)).Components.Count);
        Console.WriteLine($"{name,-15} floor {floorMs,7:F1} ms  read {readMs,7:F1} ms  throughput ratio {floorMs / readMs:F2}");
    }

    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(SyntheticSbom).Assembly).Run(args);
return 0;
