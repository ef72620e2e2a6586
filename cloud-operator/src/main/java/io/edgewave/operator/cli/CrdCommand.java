package io.edgewave.operator.cli;

import io.edgewave.operator.api.CrdYaml;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "crd", description = "Print the EdgeRelease CustomResourceDefinition.")
final class CrdCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.print(CrdYaml.generate());
    return Main.OK;
  }
}
