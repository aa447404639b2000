; `def name`, `def self.name`, and methods inside `class << self`.
(method
  name: (_) @name.definition.method) @definition.method

(singleton_method
  name: (_) @name.definition.method) @definition.method
