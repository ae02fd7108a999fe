// Our own explanations of every SolverParameter field and the solver enums.

export const SOLVER_DESCRIPTIONS: Record<string, string> = {
  'caffe.SolverParameter':
    'How to train a net: which net, learning-rate schedule, optimiser, testing and snapshots.',
  'caffe.SolverParameter.net': 'Path of the net prototxt used for both training and testing.',
  'caffe.SolverParameter.net_param': 'The net written inline instead of in a separate file.',
  'caffe.SolverParameter.train_net': 'Path of a separate training net.',
  'caffe.SolverParameter.test_net': 'Path of a separate test net (one per test_iter).',
  'caffe.SolverParameter.train_net_param': 'A training net written inline.',
  'caffe.SolverParameter.test_net_param': 'A test net written inline.',
  'caffe.SolverParameter.train_state': 'Extra state (level, stages) for building the training net.',
  'caffe.SolverParameter.test_state': 'Extra state for building each test net.',
  'caffe.SolverParameter.test_iter': 'Batches run per test pass, one value per test net.',
  'caffe.SolverParameter.test_interval': 'Run the tests every this many training iterations.',
  'caffe.SolverParameter.test_compute_loss': 'Also report the loss during tests.',
  'caffe.SolverParameter.test_initialization': 'Run a test pass before the first training iteration.',
  'caffe.SolverParameter.base_lr': 'Starting learning rate; the policy changes it from here.',
  'caffe.SolverParameter.display': 'Print progress every this many iterations (0: never).',
  'caffe.SolverParameter.average_loss': 'Report the loss averaged over this many iterations.',
  'caffe.SolverParameter.max_iter': 'Stop after this many iterations.',
  'caffe.SolverParameter.iter_size':
    'Accumulate gradients over this many batches per update (a larger effective batch).',
  'caffe.SolverParameter.lr_policy':
    'Learning-rate schedule: fixed, step, exp, inv, multistep, poly or sigmoid.',
  'caffe.SolverParameter.gamma': 'Factor used by the step, exp, inv, multistep and sigmoid policies.',
  'caffe.SolverParameter.power': 'Exponent used by the inv and poly policies.',
  'caffe.SolverParameter.momentum': 'Fraction of the previous update kept in the next one.',
  'caffe.SolverParameter.weight_decay': 'Strength of the regularisation on the weights.',
  'caffe.SolverParameter.regularization_type': 'Regularisation kind: "L2" (default) or "L1".',
  'caffe.SolverParameter.stepsize': 'For the step policy: iterations between learning-rate drops.',
  'caffe.SolverParameter.stepvalue': 'For the multistep policy: iterations at which the rate drops.',
  'caffe.SolverParameter.clip_gradients':
    'Scale gradients down when their global L2 norm exceeds this (negative: off).',
  'caffe.SolverParameter.snapshot':
    'Save the weights and solver state every this many iterations (0: never).',
  'caffe.SolverParameter.snapshot_prefix': 'Path prefix of the snapshot files.',
  'caffe.SolverParameter.snapshot_diff': 'Also save gradients in snapshots (for debugging).',
  'caffe.SolverParameter.snapshot_format': 'File format of snapshots: BINARYPROTO or HDF5.',
  'caffe.SolverParameter.solver_mode': 'Train on the CPU or the GPU.',
  'caffe.SolverParameter.device_id': 'GPU to use when solver_mode is GPU.',
  'caffe.SolverParameter.random_seed': 'Seed for the random generators (negative: from the clock).',
  'caffe.SolverParameter.type':
    'Optimiser by name: "SGD", "Nesterov", "AdaGrad", "RMSProp", "AdaDelta" or "Adam".',
  'caffe.SolverParameter.delta': 'Small constant guarding divisions in AdaGrad, RMSProp, AdaDelta and Adam.',
  'caffe.SolverParameter.momentum2': 'Adam: decay of the second-moment estimate.',
  'caffe.SolverParameter.rms_decay': 'RMSProp: decay of the running mean of squared gradients.',
  'caffe.SolverParameter.debug_info': 'Log detailed statistics of every blob and update.',
  'caffe.SolverParameter.snapshot_after_train': 'Save a final snapshot when training ends.',
  'caffe.SolverParameter.solver_type':
    'The solver as an enum (SGD, NESTEROV, ADAGRAD, ...). A Caffe whose solver has the string `type` deprecates it: write type: "SGD" etc. there; an older one (SegNet\'s) knows only this.',
  'caffe.SolverParameter.layer_wise_reduce':
    'With several GPUs, overlap gradient exchange with the backward pass.',
  'caffe.SolverParameter.weights': 'Pre-trained .caffemodel file(s) to start from.',
  'caffe.SolverParameter.SolverMode.CPU': 'Compute on the CPU.',
  'caffe.SolverParameter.SolverMode.GPU': 'Compute on a CUDA GPU.',
  'caffe.SolverParameter.SolverType.SGD': 'Stochastic gradient descent with momentum.',
  'caffe.SolverParameter.SolverType.NESTEROV': 'SGD with Nesterov momentum.',
  'caffe.SolverParameter.SolverType.ADAGRAD': 'Per-weight rates scaled by accumulated squared gradients.',
  'caffe.SolverParameter.SolverType.RMSPROP':
    'Per-weight rates scaled by a running mean of squared gradients.',
  'caffe.SolverParameter.SolverType.ADADELTA': 'Rates adapted from running means of updates and gradients.',
  'caffe.SolverParameter.SolverType.ADAM': 'Adaptive moment estimation.',
  'caffe.SolverParameter.SnapshotFormat.HDF5': 'Snapshots as HDF5 files.',
  'caffe.SolverParameter.SnapshotFormat.BINARYPROTO': 'Snapshots as binary protobuf files.',
};
