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

BenchmarkSwitcher.FromAssembly(typeof(SyntheticSbom).Assembly).Run(args);
return 0;
