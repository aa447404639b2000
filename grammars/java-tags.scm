; Methods, abstract and interface ones too (a declaration without a body holds the API's doc: jackson-core's
; `JsonParser.nextToken`), constructors, and records' compact constructors.
(method_declaration
  name: (identifier) @name.definition.method) @definition.method

(constructor_declaration
  name: (identifier) @name.definition.constructor) @definition.constructor

(compact_constructor_declaration
  name: (identifier) @name.definition.constructor) @definition.constructor

; A static initializer, code the class runs once when it is loaded (log4j's LogManager configures itself in one:
; the class's 229 lines were all that found it, probe 265): a block named `static` in its class.
(static_initializer
  "static" @name.definition.block) @definition.block
