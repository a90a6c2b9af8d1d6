// @zxcvbn-ts/core with @zxcvbn-ts/language-common (npm), bundled for the widget benchmark.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";

const factory = new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
globalThis.zxcvbnTs = (password) => factory.check(password);
