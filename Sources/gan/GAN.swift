import ArgumentParser
import Foundation
import GANCore

@main
struct GAN: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gan",
        abstract: "GANKit: train, sample and benchmark GAN variants from recipes.",
        subcommands: [ListCommand.self, ShowCommand.self, TrainCommand.self, SampleCommand.self,
                      InterpolateCommand.self, EvalCommand.self, ClassifierCommand.self, ReproduceCommand.self, PreviewCommand.self,
                      BenchCommand.self, NewVariantCommand.self])
}

/// Runs a command body, turning any error into one line on stderr and a non-zero exit.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        FileHandle.standardError.write(Data("gan: error: \(error)\n".utf8))
        if case .interrupted? = error as? TrainingError { throw ExitCode(130) }
        throw ExitCode(1)
    }
}
