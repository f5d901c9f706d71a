using Sustain.Cli;

return SustainCli.Run(args, Console.Out, Console.Error);
