namespace Sustain.Cli;

// An explicit class rather than top-level statements: the CLI references Sustain.Data, which brings in
// ASP.NET Core, whose generator would make a top-level Program public and clash with the web app's in tests.
internal static class Program
{
    public static int Main(string[] args) => SustainCli.Run(args, Console.Out, Console.Error);
}
